-- agentls for nvim-lspconfig users on Neovim 0.10 (or any version where you call
-- `require('lspconfig').<name>.setup{}`). On Neovim 0.11+ prefer `lsp/agentls.lua` and
-- `vim.lsp.enable('agentls')`. Paste this into your config.

local configs = require('lspconfig.configs')
local util = require('lspconfig.util')

-- Only agent definition files and the policy file; see lsp/agentls.lua for the list.
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

local function is_agent_file(path)
  local p = '/' .. (path or ''):gsub('\\', '/')
  for _, pattern in ipairs(agent_patterns) do
    if p:find(pattern) then
      return true
    end
  end
  return false
end

if not configs.agentls then
  configs.agentls = {
    default_config = {
      cmd = { 'agentls', 'lsp' },
      filetypes = { 'markdown', 'yaml' },
      -- Returning nil keeps lspconfig from attaching to anything but agent files.
      root_dir = function(fname)
        if not is_agent_file(fname) then
          return nil
        end
        return util.root_pattern('.agentls.yaml', '.git', '.claude', '.factory', '.github', '.opencode')(fname)
          or vim.fs.dirname(fname)
      end,
      init_options = { extraTools = {} },
      single_file_support = false,
    },
  }
end

require('lspconfig').agentls.setup({
  -- init_options = { policyPath = 'policies/agents.yaml', extraTools = { 'mcp__github__create_issue' }, dialect = 'claude' },
})
