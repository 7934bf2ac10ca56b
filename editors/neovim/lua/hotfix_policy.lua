-- hotfix-policy language server for Neovim's built-in LSP client.
--
-- Diagnostics (rule ids as the diagnostic code), completion, hover, go to definition, code
-- actions and document symbols for incident, review and PR Markdown and for policy YAML /
-- `.policy.yaml`. Works on Neovim 0.7 (Debian 12's package: `vim.lsp.start_client`) and on
-- 0.8 and later (`vim.lsp.start`). No plugin manager and no nvim-lspconfig needed.
--
-- Install: put this folder on 'runtimepath' (or copy `lua/hotfix_policy.lua` into
-- `~/.config/nvim/lua/`), then in init.lua:
--
--   require('hotfix_policy').setup()
--
-- or with options (every key is optional; these are the defaults):
--
--   require('hotfix_policy').setup({
--     cmd = nil,                 -- nil: { 'policy', 'lsp', '--stdio' } when `policy` is on
--                                -- PATH, else { 'python3', '-m', 'hotfix_policy.cli', 'lsp', '--stdio' }
--     cmd_cwd = nil,             -- the server's working directory; nil: this file's folder
--     cmd_env = nil,             -- extra environment for the server
--     filetypes = { 'markdown', 'yaml' },
--     root_markers = { '.policy.yaml', '.git' },
--     single_file = true,        -- no marker found: use the file's folder as the root
--     debounce = 150,            -- ms between typing and didChange (0 sends every change)
--     on_attach = nil,           -- function(client, bufnr), e.g. to map keys
--     capabilities = nil,        -- client capabilities (e.g. from a completion plugin)
--     settings = nil,
--     init_options = nil,        -- sent with `initialize`, e.g. { hotfixPolicy = { testClock =
--                                -- { start = '2026-11-20T14:37:00Z', rate = 60 } } } to drive
--                                -- the server's clock in tests
--   })
--
-- The server identifies documents by content (`kind: Policy`, `kind: PolicyTest`, an incident
-- record...): attaching it to every YAML buffer is harmless; files it does not know get no
-- diagnostics. One server runs per workspace root; buffers under the same root share it.
-- Root: the nearest folder upwards holding one of `root_markers` (checked in that order, so a
-- `.policy.yaml` wins over an enclosing git repository).
--
-- The server never runs in the workspace: Neovim would start it in its own working directory,
-- usually the repository being edited, and `python3 -m` puts the working directory first on
-- Python's module path, so a repository with an `lsp/`, `hotfix_policy/` or `json.py` would run
-- its own code when a file of it is opened. The server learns the root from `initialize`, so it
-- is started in this file's folder instead (ours, or the user's config folder whose Lua Neovim
-- already runs). `policy` itself is a console script and safe anywhere.

local M = {}

-- This file's folder: the server's working directory unless `cmd_cwd` says otherwise.
local plugin_dir = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')

local defaults = {
  name = 'hotfix-policy',
  cmd = nil,
  cmd_cwd = nil,
  cmd_env = nil,
  filetypes = { 'markdown', 'yaml' },
  root_markers = { '.policy.yaml', '.git' },
  single_file = true,
  debounce = 150,
  on_attach = nil,
  capabilities = nil,
  settings = nil,
  init_options = nil,
}

M.config = vim.deepcopy(defaults)

-- root -> client id (Neovim 0.7 only; 0.8+ lets vim.lsp.start reuse clients itself)
local clients = {}

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

local function parent(dir)
  local up = vim.fn.fnamemodify(dir, ':h')
  if up == dir then
    return nil
  end
  return up
end

--- The workspace root of `path` (a file or folder): the nearest folder upwards holding one of
--- `markers`, tried marker by marker (the first marker found anywhere upwards wins).
--- Returns nil when none is found.
function M.find_root(path, markers)
  markers = markers or M.config.root_markers
  local start = vim.fn.fnamemodify(path, ':p')
  if not exists(start) or vim.fn.isdirectory(start) == 0 then
    start = vim.fn.fnamemodify(start, ':h')
  end
  start = start:gsub('/$', '')
  if start == '' then
    start = '/'
  end
  for _, marker in ipairs(markers) do
    local dir = start
    while dir do
      if exists(dir .. '/' .. marker) then
        return dir
      end
      dir = parent(dir)
    end
  end
  return nil
end

--- The server command: the configured one, else `policy lsp` when installed, else the same
--- command through `python3 -m hotfix_policy.cli` (safe only outside the workspace: see cwd()).
function M.command()
  if M.config.cmd then
    return M.config.cmd
  end
  if vim.fn.executable('policy') == 1 then
    return { 'policy', 'lsp', '--stdio' }
  end
  return { 'python3', '-m', 'hotfix_policy.cli', 'lsp', '--stdio' }
end

--- The server's working directory: `cmd_cwd`, else this file's folder; never the workspace.
function M.cwd()
  return M.config.cmd_cwd or plugin_dir
end

local function client_config(root)
  return {
    name = M.config.name,
    cmd = M.command(),
    cmd_cwd = M.cwd(),
    cmd_env = M.config.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    flags = { debounce_text_changes = M.config.debounce },
    on_attach = M.config.on_attach,
    capabilities = M.config.capabilities,
    settings = M.config.settings,
    init_options = M.config.init_options,
  }
end

local function alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  return client ~= nil and not client.is_stopped()
end

--- Start (or reuse) the server for buffer `bufnr` (default: the current buffer) and attach it.
--- Returns the client id, or nil when the buffer has no file or no root.
function M.start(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  local root = M.find_root(name)
  if not root then
    if not M.config.single_file then
      return nil
    end
    root = vim.fn.fnamemodify(name, ':p:h')
  end
  local config = client_config(root)

  if vim.lsp.start then -- Neovim 0.8+
    return vim.lsp.start(config, { bufnr = bufnr })
  end

  -- Neovim 0.7: one client per root, started once
  local id = clients[root]
  if not alive(id) then
    id = vim.lsp.start_client(config)
    if not id then
      vim.notify('hotfix-policy: could not start ' .. table.concat(config.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Configure, then start the server for every buffer of `filetypes`, open now or later.
function M.setup(opts)
  -- shallow on purpose: a list given (filetypes, root_markers, cmd) replaces the default whole
  M.config = vim.tbl_extend('force', vim.deepcopy(defaults), opts or {})
  local group = vim.api.nvim_create_augroup('hotfix_policy', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    desc = 'hotfix-policy language server',
    callback = function(args)
      M.start(args.buf)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
      M.start(buf)
    end
  end
end

return M
