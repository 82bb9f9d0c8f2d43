-- Headless Neovim test for lsp/agentls.lua against a real agentls binary. Run by test/run.sh from
-- inside a temporary workspace holding `.factory/droids/senior-backend-developer.md`, `README.md`
-- and `.agentls.yaml`. Prints one PASS/FAIL line per check and exits non-zero on any failure.

local server = assert(os.getenv('AGENTLS_TEST_SERVER'), 'AGENTLS_TEST_SERVER is not set')
local plugin_dir = assert(os.getenv('AGENTLS_NVIM_DIR'), 'AGENTLS_NVIM_DIR is not set')
local ws = vim.fn.getcwd()
local TIMEOUT = 10000

-- The config under test is the real lsp/agentls.lua, found through the runtimepath; only the
-- command is pointed at the binary being tested.
vim.opt.runtimepath:prepend(plugin_dir)
-- `-u` with a script skips the defaults that switch on filetype detection, which vim.lsp.enable needs.
vim.cmd('filetype plugin on')
vim.lsp.config('agentls', { cmd = { server, 'lsp' } })
vim.lsp.enable('agentls')

local failures = 0
local function check(ok, what, detail)
  if not ok then
    failures = failures + 1
  end
  io.stdout:write(string.format('%s: %s%s\n', ok and 'PASS' or 'FAIL', what, detail and (' (' .. detail .. ')') or ''))
end

local function finish()
  io.stdout:write(failures == 0 and 'OK: all Neovim checks passed\n' or string.format('FAILED: %d check(s)\n', failures))
  vim.cmd(failures == 0 and 'qa!' or 'cquit 1')
end

local function agentls_client(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'agentls' })[1]
end

local function line_starting(buf, prefix)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if vim.startswith(l, prefix) then
      return i - 1
    end
  end
end

local function run()
  local config = vim.lsp.config.agentls
  check(config ~= nil and type(config.root_dir) == 'function' and vim.tbl_contains(config.filetypes or {}, 'markdown'),
    'lsp/agentls.lua is loaded from the runtimepath')

  vim.cmd.edit(vim.fn.fnameescape(ws .. '/.factory/droids/senior-backend-developer.md'))
  local buf = vim.api.nvim_get_current_buf()
  local client
  check(vim.wait(TIMEOUT, function()
    client = agentls_client(buf)
    return client ~= nil and client.initialized
  end, 20), 'agentls attaches to the droid and initializes', 'filetype=' .. vim.bo[buf].filetype)

  local ours = {}
  vim.wait(TIMEOUT, function()
    ours = vim.tbl_filter(function(d)
      return d.source == 'agentls'
    end, vim.diagnostic.get(buf))
    return #ours > 0
  end, 20)
  check(#ours > 0, 'diagnostics with source "agentls" arrive',
    string.format('%d diagnostic(s)%s', #ours, ours[1] and (', first: ' .. ours[1].lnum .. ':' .. ours[1].col .. ' ' .. ours[1].message) or ''))

  if client then
    local uri = vim.uri_from_bufnr(buf)
    local tools = line_starting(buf, 'tools: [')
    local items = {}
    if tools then
      local resp = client:request_sync('textDocument/completion', {
        textDocument = { uri = uri },
        position = { line = tools, character = #'tools: [' },
        context = { triggerKind = 1 },
      }, TIMEOUT, buf)
      local result = resp and resp.result
      items = type(result) == 'table' and (result.items or result) or {}
    end
    check(#items > 0, 'completion inside `tools: [` returns items',
      string.format('%d item(s)%s', #items, items[1] and (', first: ' .. tostring(items[1].label)) or ''))

    local model = line_starting(buf, 'model:')
    local text = ''
    if model then
      local resp = client:request_sync('textDocument/hover', {
        textDocument = { uri = uri },
        position = { line = model, character = 2 },
      }, TIMEOUT, buf)
      local contents = resp and resp.result and resp.result.contents
      if type(contents) == 'string' then
        text = contents
      elseif type(contents) == 'table' then
        text = contents.value or table.concat(vim.tbl_map(function(c)
          return type(c) == 'string' and c or c.value or ''
        end, contents), '\n')
      end
    end
    check(vim.trim(text) ~= '', 'hover on `model` returns content', (text:gsub('\n.*', ''):sub(1, 80)))
  end

  -- The filter in root_dir: ordinary Markdown gets no agentls client.
  vim.cmd.edit(vim.fn.fnameescape(ws .. '/README.md'))
  local readme = vim.api.nvim_get_current_buf()
  vim.wait(500, function()
    return agentls_client(readme) ~= nil
  end, 20)
  check(vim.bo[readme].filetype == 'markdown' and agentls_client(readme) == nil, 'agentls stays off README.md (a markdown buffer)',
    'filetype=' .. vim.bo[readme].filetype)

  -- The policy file is YAML and does get the server.
  vim.cmd.edit(vim.fn.fnameescape(ws .. '/.agentls.yaml'))
  local policy = vim.api.nvim_get_current_buf()
  check(vim.wait(TIMEOUT, function()
    return agentls_client(policy) ~= nil
  end, 20), 'agentls attaches to .agentls.yaml', 'filetype=' .. vim.bo[policy].filetype)

  if client then
    client:stop()
    check(vim.wait(5000, function()
      return client:is_stopped()
    end, 20), 'the server stops on shutdown/exit')
  end
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  -- Without nested, the :edit calls below would not fire BufRead/FileType, so no filetype and no LSP.
  nested = true,
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if not ok then
      check(false, 'test script error', err)
    end
    finish()
  end,
})
