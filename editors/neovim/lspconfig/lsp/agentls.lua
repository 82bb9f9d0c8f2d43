---@brief
---
--- https://github.com/agentls/agentls
---
--- Language server and linter for the files that define AI coding agents: Claude Code subagents
--- (`.claude/agents/**/*.md`), Factory droids (`.factory/droids/*.md`), GitHub Copilot custom
--- agents, prompts and chat modes (`.github/agents/*.md`, `*.agent.md`, `*.prompt.md`,
--- `*.chatmode.md`), OpenCode agents (`.opencode/agent(s)/**/*.md`) and the `.agentls.yaml` team
--- policy. It checks their frontmatter (keys, tool names, models) and completes and explains it.
---
--- Release binaries: https://github.com/agentls/agentls/releases. Or, with a Rust toolchain:
---
--- ```sh
--- cargo install --locked --git https://github.com/agentls/agentls agentls
--- ```
---
--- The config attaches only to agent definition files and the policy file; other Markdown and
--- YAML buffers are left alone.

local agent_patterns = {
  '/%.claude/agents/.+%.md$',
  '/%.factory/droids/[^/]+%.md$',
  '/%.github/agents/[^/]+%.md$',
  '%.agent%.md$',
  '%.prompt%.md$',
  '%.chatmode%.md$',
  '/%.opencode/agents?/.+%.md$',
  '/%.[a-z]+/skills?/[^/]+/SKILL%.md$',
  '/%.claude/commands/.+%.md$',
  '/%.factory/commands/[^/]+%.md$',
  '/%.opencode/commands?/.+%.md$',
  '/%.claude/rules/.+%.md$',
  '%.instructions%.md$',
  '/%.github/copilot%-instructions%.md$',
  '/CLAUDE%.md$',
  '/CLAUDE%.local%.md$',
  '/AGENTS%.md$',
  '/%.agentls%.yaml$',
}

local root_markers = { '.agentls.yaml', '.git', '.claude', '.factory', '.github', '.opencode' }

---@type vim.lsp.Config
return {
  cmd = { 'agentls', 'lsp' },
  filetypes = { 'markdown', 'yaml' },
  root_markers = root_markers,
  root_dir = function(bufnr, on_dir)
    local path = vim.api.nvim_buf_get_name(bufnr)
    local p = '/' .. path:gsub('\\', '/')
    for _, pattern in ipairs(agent_patterns) do
      if p:find(pattern) then
        on_dir(vim.fs.root(bufnr, root_markers) or vim.fs.dirname(path))
        return
      end
    end
  end,
}
