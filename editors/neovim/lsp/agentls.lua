-- agentls: language server for AI agent definition files (Claude Code subagents, Factory droids,
-- GitHub Copilot custom agents, OpenCode agents) and the `.agentls.yaml` team policy.
--
-- Neovim 0.11+: put this file on your runtimepath as `lsp/agentls.lua` (for example
-- `~/.config/nvim/lsp/agentls.lua`), then call `vim.lsp.enable('agentls')`.
--
-- The client only attaches to agent files: `root_dir` below calls `on_dir` for those paths alone,
-- and Neovim does not start or attach a client when `on_dir` is never called. Other Markdown and
-- YAML buffers are left to whatever else you run on them.

-- Lua patterns for the agent file paths, tested against '/' .. the absolute path with '/' separators.
local agent_patterns = {
  '/%.claude/agents/.+%.md$', -- Claude Code subagents, nested folders allowed
  '/%.factory/droids/[^/]+%.md$', -- Factory droids, one level
  '/%.github/agents/[^/]+%.md$', -- Copilot custom agents
  '%.agent%.md$', -- Copilot custom agents anywhere
  '%.prompt%.md$', -- Copilot prompt files
  '%.chatmode%.md$', -- Copilot chat modes
  '/%.opencode/agents?/.+%.md$', -- OpenCode agents, `agent/` or `agents/`
  '/%.[a-z]+/skills?/[^/]+/SKILL%.md$', -- Agent Skills (.claude, .github, .factory, .opencode, .agents)
  '/%.claude/commands/.+%.md$', -- Claude Code commands
  '/%.factory/commands/[^/]+%.md$', -- Factory commands
  '/%.opencode/commands?/.+%.md$', -- OpenCode commands
  '/%.claude/rules/.+%.md$', -- Claude Code rules
  '%.instructions%.md$', -- Copilot instructions
  '/%.github/copilot%-instructions%.md$', -- Copilot repository instructions
  '/CLAUDE%.md$', -- memory files
  '/CLAUDE%.local%.md$',
  '/AGENTS%.md$',
  '/%.agentls%.yaml$', -- the team policy
}

---Whether `path` is a file agentls should handle.
---@param path string
---@return boolean
local function is_agent_file(path)
  if path == nil or path == '' then
    return false
  end
  local p = '/' .. path:gsub('\\', '/')
  for _, pattern in ipairs(agent_patterns) do
    if p:find(pattern) then
      return true
    end
  end
  return false
end

local root_markers = { '.agentls.yaml', '.git', '.claude', '.factory', '.github', '.opencode' }

---@type vim.lsp.Config
return {
  cmd = { 'agentls', 'lsp' },
  filetypes = { 'markdown', 'yaml' },
  root_markers = root_markers,
  ---@param bufnr integer
  ---@param on_dir fun(root_dir?: string)
  root_dir = function(bufnr, on_dir)
    local path = vim.api.nvim_buf_get_name(bufnr)
    if not is_agent_file(path) then
      return
    end
    -- A file outside any project still gets a server, rooted at its own folder.
    on_dir(vim.fs.root(bufnr, root_markers) or vim.fs.dirname(path))
  end,
  -- Read by the server at start-up; camelCase, and leave `dialect` out to let the server detect it.
  init_options = {
    extraTools = {},
  },
}
