-- Headless Neovim test of cross-file navigation against a real agentls binary: go-to-definition
-- and rename across files, with the WorkspaceEdit applied by Neovim itself (text edits, a file
-- rename and a folder rename) and written to disk. Run by test/run.sh from inside a generated
-- workspace holding:
--   .github/agents/planner.agent.md      handoffs/agents name `implementer`
--   .github/agents/implementer.agent.md  `name: implementer` (VS Code also keys it by file name)
--   .claude/agents/writer.md             `skills: [pdf]`
--   .claude/agents/editor.md             `skills:` with `- pdf` and `- charts` (no such skill;
--                                        the file is opened only after the renames)
--   .claude/skills/pdf/SKILL.md          `name: pdf` (the folder is the skill's name)
-- Neovim's own client capabilities are used unchanged (workspaceEdit.resourceOperations without
-- documentChanges, pull diagnostics). Prints one PASS/FAIL line per check; exits non-zero on failure.

local server = assert(os.getenv('AGENTLS_TEST_SERVER'), 'AGENTLS_TEST_SERVER is not set')
local plugin_dir = assert(os.getenv('AGENTLS_NVIM_DIR'), 'AGENTLS_NVIM_DIR is not set')
local ws = vim.fn.getcwd()
local TIMEOUT = 10000

vim.opt.runtimepath:prepend(plugin_dir)
vim.cmd('filetype plugin on')
vim.lsp.config('agentls', { cmd = { server, 'lsp' } })
vim.lsp.enable('agentls')

-- The server reports the end of its background index with `$/progress`.
local indexed = false
vim.api.nvim_create_autocmd('LspProgress', {
  callback = function(ev)
    local value = ev.data and ev.data.params and ev.data.params.value
    if type(value) == 'table' and value.kind == 'end' then
      indexed = true
    end
  end,
})

local failures = 0
local function check(ok, what, detail)
  if not ok then
    failures = failures + 1
  end
  io.stdout:write(string.format('%s: %s%s\n', ok and 'PASS' or 'FAIL', what, detail and (' (' .. detail .. ')') or ''))
  return ok
end

local function finish()
  io.stdout:write(failures == 0 and 'OK: all Neovim navigation checks passed\n'
    or string.format('FAILED: %d navigation check(s)\n', failures))
  vim.cmd(failures == 0 and 'qa!' or 'cquit 1')
end

local function path(rel)
  return ws .. '/' .. rel
end

local function read(rel)
  local f = io.open(path(rel), 'r')
  if not f then
    return nil
  end
  local s = f:read('*a')
  f:close()
  return s
end

local function exists(rel)
  return vim.uv.fs_stat(path(rel)) ~= nil
end

local function agentls_client(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'agentls' })[1]
end

local function open(rel)
  vim.cmd.edit(vim.fn.fnameescape(path(rel)))
  local buf = vim.api.nvim_get_current_buf()
  local client
  vim.wait(TIMEOUT, function()
    client = agentls_client(buf)
    return client ~= nil and client.initialized
  end, 20)
  return buf, client
end

-- The 0-based (line, byte column) of the `nth` occurrence of `needle` in the buffer.
local function find(buf, needle, nth)
  nth = nth or 1
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local from = 1
    while true do
      local s = l:find(needle, from, true)
      if not s then
        break
      end
      nth = nth - 1
      if nth == 0 then
        return i - 1, s - 1
      end
      from = s + 1
    end
  end
end

-- The position of the second character of `word` (default: `needle`) in the first `needle` of
-- the buffer, as LSP wants it (ASCII text: bytes are UTF-16 units).
local function position_in(buf, needle, word)
  local line, col = find(buf, needle)
  assert(line, 'no `' .. needle .. '` in ' .. vim.api.nvim_buf_get_name(buf))
  local inner = needle:find(word or needle, 1, true) - 1
  return { line = line, character = col + inner + 1 }
end

local function range_text(r)
  return string.format('%d:%d-%d:%d', r.start.line, r.start.character, r['end'].line, r['end'].character)
end

-- The one location `textDocument/definition` returns for `needle` in `buf`.
local function definition(client, buf, needle, word)
  local resp = client:request_sync('textDocument/definition', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = position_in(buf, needle, word),
  }, TIMEOUT, buf)
  local result = resp and resp.result
  if type(result) == 'table' and result.uri then
    result = { result }
  end
  return type(result) == 'table' and result or {}
end

-- Checks that the definition of `name` (in the first `needle` of `buf`) is exactly the `name:`
-- value on line `line` of `rel`.
local function expect_definition(client, buf, needle, rel, line, name, what)
  local locs = definition(client, buf, needle, name)
  local want = { start = { line = line, character = 6 }, ['end'] = { line = line, character = 6 + #name } }
  local got = locs[1]
  local target = got and (got.uri or got.targetUri)
  local range = got and (got.range or got.targetSelectionRange)
  check(#locs == 1 and target == vim.uri_from_fname(path(rel)) and vim.deep_equal(range, want), what,
    string.format('%d location(s)%s', #locs, got and (', ' .. tostring(target):gsub('^.*/', '') .. ' ' .. range_text(range)) or ''))
end

-- Puts the cursor on `word` in the first `needle` of `buf`, runs vim.lsp.buf.definition() and
-- checks that the cursor lands at (row, col) of `rel` (1-based row, 0-based byte column).
local function jump(buf, needle, word, rel, row, col, what)
  vim.api.nvim_set_current_buf(buf)
  local pos = position_in(buf, needle, word)
  vim.api.nvim_win_set_cursor(0, { pos.line + 1, pos.character })
  vim.lsp.buf.definition()
  local landed = vim.wait(TIMEOUT, function()
    return vim.api.nvim_buf_get_name(0) == path(rel)
  end, 20)
  local cursor = vim.api.nvim_win_get_cursor(0)
  check(landed and cursor[1] == row and cursor[2] == col, what,
    string.format('%s at %d:%d', vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t'), cursor[1], cursor[2]))
end

-- Renames `word` (in the first `needle` of `buf`) to `new`, applies the edit the way Neovim does
-- (vim.lsp.util.apply_workspace_edit) and writes every buffer.
local function rename(client, buf, needle, word, new)
  local resp = client:request_sync('textDocument/rename', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = position_in(buf, needle, word),
    newName = new,
  }, TIMEOUT, buf)
  local edit = resp and resp.result
  local err = resp and resp.err
  if type(edit) ~= 'table' then
    return nil, err and err.message or ('no result: ' .. vim.inspect(resp))
  end
  -- Silent: the file renames write with :saveas, whose message would land in this test's output.
  _G.agentls_edit = { edit, client.offset_encoding }
  vim.cmd('silent lua vim.lsp.util.apply_workspace_edit(unpack(_G.agentls_edit))')
  vim.cmd('silent wall')
  return edit
end

-- Resource operations of a workspace edit, as `kind old -> new` (file names relative to ws).
local function resource_ops(edit)
  local ops = {}
  for _, c in ipairs(edit.documentChanges or {}) do
    if c.kind then
      local rel = function(u)
        return u and vim.uri_to_fname(u):sub(#ws + 2) or '?'
      end
      table.insert(ops, c.kind .. ' ' .. rel(c.oldUri or c.uri) .. ' -> ' .. rel(c.newUri))
    end
  end
  return ops
end

-- The server's own diagnostics of a buffer, pulled now (the server runs in pull mode for Neovim).
local CROSS = {
  ['unknown-agent'] = true,
  ['unknown-skill'] = true,
  ['duplicate-agent-name'] = true,
  ['shadows-builtin-agent'] = true,
}
local function cross_findings(client, buf)
  local resp = client:request_sync('textDocument/diagnostic', { textDocument = { uri = vim.uri_from_bufnr(buf) } },
    TIMEOUT, buf)
  local items = resp and resp.result and resp.result.items
  if type(items) ~= 'table' then
    return nil
  end
  local out = {}
  for _, d in ipairs(items) do
    if CROSS[d.code] then
      table.insert(out, d.code .. ' ' .. range_text(d.range))
    end
  end
  return out
end

local function run()
  local planner, client = open('.github/agents/planner.agent.md')
  if not check(client ~= nil and client.initialized, 'agentls attaches to the Copilot agent') then
    return
  end
  check(client.capabilities.workspace.workspaceEdit.documentChanges == nil
    and vim.tbl_contains(client.capabilities.workspace.workspaceEdit.resourceOperations, 'rename'),
    "Neovim's capabilities: resourceOperations with rename, documentChanges not set")
  check(vim.wait(TIMEOUT, function()
    return indexed
  end, 20), 'the workspace index ends ($/progress end)')

  -- Go to definition: a Copilot handoff to the agent's `name`, a Claude skill to its SKILL.md.
  expect_definition(client, planner, 'agent: implementer', '.github/agents/implementer.agent.md', 1, 'implementer',
    'definition of the handoff `agent: implementer` is the name span in implementer.agent.md')
  local writer = open('.claude/agents/writer.md')
  expect_definition(client, writer, 'skills: [pdf]', '.claude/skills/pdf/SKILL.md', 1, 'pdf',
    'definition of `skills: [pdf]` is the name span in .claude/skills/pdf/SKILL.md')
  jump(planner, 'agents: [implementer]', 'implementer', '.github/agents/implementer.agent.md', 2, 6,
    'vim.lsp.buf.definition() on `agents: [implementer]` lands on `implementer` in implementer.agent.md')
  jump(writer, 'skills: [pdf]', 'pdf', '.claude/skills/pdf/SKILL.md', 2, 6,
    'vim.lsp.buf.definition() on `pdf` lands on `pdf` in SKILL.md')

  local before = {}
  for _, b in ipairs({ planner, writer }) do
    before[b] = cross_findings(client, b)
  end
  check(before[planner] and #before[planner] == 0 and before[writer] and #before[writer] == 0,
    'no cross-file findings before the renames', vim.inspect(before[planner]) .. ' ' .. vim.inspect(before[writer]))

  -- Rename the Copilot agent from its use: the handoff, the `agents` entry, its `name`, its file.
  local edit, err = rename(client, planner, 'agent: implementer', 'implementer', 'builder')
  check(edit ~= nil, 'textDocument/rename of `implementer` answers an edit', err)
  if edit then
    local ops = resource_ops(edit)
    check(#ops == 1 and ops[1] == 'rename .github/agents/implementer.agent.md -> .github/agents/builder.agent.md',
      'the edit renames implementer.agent.md to builder.agent.md', table.concat(ops, '; '))
  end
  local p = read('.github/agents/planner.agent.md') or ''
  check(p:find('    agent: builder\n', 1, true) and p:find('agents: [builder]', 1, true) and not p:find('implementer', 1, true),
    'planner.agent.md on disk names `builder` in the handoff and in `agents`')
  local b = read('.github/agents/builder.agent.md') or ''
  check(not exists('.github/agents/implementer.agent.md') and b:find('\nname: builder\n', 1, true) ~= nil,
    'implementer.agent.md is now builder.agent.md with `name: builder`', b:match('name: [^\n]*'))

  -- Rename the skill from its use: both agents' `skills`, its `name` and its folder.
  edit, err = rename(client, writer, 'skills: [pdf]', 'pdf', 'docs')
  check(edit ~= nil, 'textDocument/rename of `pdf` answers an edit', err)
  if edit then
    local ops = resource_ops(edit)
    check(#ops == 1 and ops[1] == 'rename .claude/skills/pdf -> .claude/skills/docs',
      'the edit renames the folder .claude/skills/pdf to .claude/skills/docs', table.concat(ops, '; '))
  end
  local s = read('.claude/skills/docs/SKILL.md') or ''
  check(not exists('.claude/skills/pdf') and s:find('\nname: docs\n', 1, true) ~= nil,
    '.claude/skills/docs/SKILL.md holds `name: docs`, .claude/skills/pdf is gone', s:match('name: [^\n]*'))
  local w, e = read('.claude/agents/writer.md') or '', read('.claude/agents/editor.md') or ''
  check(w:find('skills: [docs]', 1, true) and e:find('\n  - docs\n  - charts\n', 1, true) and not (w .. e):find('pdf', 1, true),
    'writer.md and editor.md (never opened) on disk use `docs`')

  -- The server follows: the renamed uses resolve to the renamed definitions...
  planner = open('.github/agents/planner.agent.md')
  expect_definition(client, planner, 'agent: builder', '.github/agents/builder.agent.md', 1, 'builder',
    'after the rename, `agent: builder` goes to the name span in builder.agent.md')
  writer = open('.claude/agents/writer.md')
  expect_definition(client, writer, 'skills: [docs]', '.claude/skills/docs/SKILL.md', 1, 'docs',
    'after the rename, `skills: [docs]` goes to the name span in .claude/skills/docs/SKILL.md')
  -- ...and no file has a new cross-file finding: only editor.md's `charts`, which names no skill
  -- (so the pulled reports do carry cross-file findings).
  for _, f in ipairs({
    { '.github/agents/planner.agent.md', {} },
    { '.github/agents/builder.agent.md', {} },
    { '.claude/agents/writer.md', {} },
    { '.claude/agents/editor.md', { 'unknown-skill 5:4-5:10' } },
    { '.claude/skills/docs/SKILL.md', {} },
  }) do
    local rel, want = f[1], f[2]
    local found = cross_findings(client, open(rel))
    check(vim.deep_equal(found, want), 'cross-file findings of ' .. rel .. ' after the renames: ' .. vim.inspect(want),
      vim.inspect(found))
  end
  local modified = vim.tbl_filter(function(bn)
    return vim.bo[bn].modified
  end, vim.api.nvim_list_bufs())
  check(#modified == 0, 'every buffer is written', #modified .. ' modified')

  client:stop()
  vim.wait(5000, function()
    return client:is_stopped()
  end, 20)
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true,
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if not ok then
      check(false, 'test script error', err)
    end
    finish()
  end,
})
