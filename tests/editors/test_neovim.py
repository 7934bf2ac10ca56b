"""A real client: headless Neovim drives the language server through `editors/neovim`.

Neovim loads `editors/neovim/lua/hotfix_policy.lua` and calls its `setup()` with no command, so
the plugin picks its default as a user gets it: `policy lsp --stdio` when `policy` is on PATH,
else `python3 -m hotfix_policy.cli lsp --stdio` (both are run, by what PATH holds). Filetype
detection (`filetype on`) then starts the server for the Markdown buffer exactly as in a user's
editor (`vim.lsp.start_client` on Debian's 0.7, `vim.lsp.start` on 0.8+). Neovim runs in the
hostile workspace of `tests/launchers/` (as a user starts it in the repository being edited),
whose `.policy.yaml` has `packs: []` (only the tiny policy of `tests/lsp/helpers.py` applies)
and whose folders named like our modules must never be imported. The Lua probe opens an
incident record with two mistakes, waits for the diagnostics, requests completion after
`Severity: `, applies the first item through Neovim's own text-edit code and waits for the
diagnostics of the edited buffer (Neovim's incremental didChange). It writes what it saw as JSON
and quits with `cq 1` on any error; the assertions are here. Skipped when `nvim` is not installed
(Debian: `apt-get install neovim`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND
from tests.launchers.workspace import HostileWorkspace, hostile_workspace  # noqa: F401 - a fixture
from tests.lsp.helpers import CLEAN_INCIDENT

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "editors" / "neovim"
NVIM = shutil.which("nvim")
TIMEOUT = 90  # seconds for the whole Neovim run (it takes about 2 s here)
SYSTEM_PATH = ["/usr/bin", "/bin"]   # what the server's PATH holds besides the launch under test

pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not installed (Debian: apt-get install neovim)")

PROBE = r"""
local out = os.getenv('PROBE_OUT')
local result = { steps = {} }
local WAIT = 30000

local function step(name) table.insert(result.steps, name) end
local function wait(what, condition)
  if not vim.wait(WAIT, condition, 10) then error('timed out waiting for ' .. what) end
end
local function simple(d)
  return { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, code = d.code,
           severity = d.severity, message = d.message, source = d.source }
end
local function codes(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(list, tostring(d.code)) end
  table.sort(list)
  return table.concat(list, ',')
end

local ok, err = pcall(function()
  result.nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
  result.api = vim.lsp.start and 'vim.lsp.start' or 'vim.lsp.start_client'

  -- the raw publishDiagnostics params, as the server sent them (UTF-16 ranges)
  result.published = {}
  local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, params, ctx, config)
    result.published[params.uri] = params.diagnostics
    return publish(e, params, ctx, config)
  end

  local hp = require('hotfix_policy')
  hp.setup({ debounce = 0 })   -- the default command, found on PATH as a user's would be
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('PROBE_DOC')))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  step('opened')

  wait('the client to attach', function() return #vim.lsp.buf_get_clients(buf) > 0 end)
  local client = vim.lsp.buf_get_clients(buf)[next(vim.lsp.buf_get_clients(buf))]
  result.client = { name = client.name, root = client.config.root_dir }
  result.launch = { cmd = client.config.cmd, cwd = client.config.cmd_cwd }
  wait('initialize', function() return client.initialized end)
  step('initialized')

  wait('two diagnostics', function() return #vim.diagnostic.get(buf) >= 2 end)
  result.diagnostics = vim.tbl_map(simple, vim.diagnostic.get(buf))
  table.sort(result.diagnostics, function(a, b) return a.code < b.code end)
  result.raw = result.published[vim.uri_from_bufnr(buf)]
  step('diagnostics')

  -- completion after `Severity: `, at the end of `Severity: 😀 bad`: Neovim's own conversion
  -- of the byte column to the negotiated encoding (UTF-16 here)
  local caps = client.server_capabilities or {}
  result.completion_provider = caps.completionProvider ~= nil
  if result.completion_provider then
    local line = vim.api.nvim_buf_get_lines(buf, 3, 4, true)[1]
    local _, character = vim.str_utfindex(line, #line)   -- (UTF-32, UTF-16) indexes
    result.completion_position = { line = 3, character = character }
    local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = result.completion_position }
    local responses, request_error = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, WAIT)
    if not responses then error('completion: ' .. tostring(request_error)) end
    local answer = responses[client.id]
    if answer.err then error('completion error: ' .. vim.inspect(answer.err)) end
    local items = answer.result.items or answer.result
    result.completion = {}
    for _, item in ipairs(items) do
      table.insert(result.completion, { label = item.label, kind = item.kind, textEdit = vim.deepcopy(item.textEdit) })
    end
    step('completion')

    -- accept the first item as Neovim's completion would: apply its text edit
    if items[1] and items[1].textEdit then
      vim.lsp.util.apply_text_edits({ items[1].textEdit }, buf, client.offset_encoding or 'utf-16')
      result.edited_line = vim.api.nvim_buf_get_lines(buf, 3, 4, true)[1]
      wait('diagnostics of the edited buffer', function() return codes(buf) == 'T002' end)
      result.after_edit = vim.tbl_map(simple, vim.diagnostic.get(buf))
      step('edited')
    end
  end

  -- a policy YAML buffer under the same root shares the one server
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('PROBE_POLICY')))
  local policy = vim.api.nvim_get_current_buf()
  result.policy_filetype = vim.bo[policy].filetype
  wait('the client to attach to the policy', function() return #vim.lsp.buf_get_clients(policy) > 0 end)
  local ids = {}
  for id, _ in pairs(vim.lsp.buf_get_clients(policy)) do table.insert(ids, id) end
  result.same_client = (#ids == 1 and ids[1] == client.id)
  wait("the policy's diagnostics", function() return #vim.diagnostic.get(policy) >= 1 end)
  result.policy_diagnostics = vim.tbl_map(simple, vim.diagnostic.get(policy))
  result.policy_raw = result.published[vim.uri_from_bufnr(policy)]
  result.clients = #vim.lsp.get_active_clients()
  step('policy')

  vim.lsp.stop_client(client.id)
  wait('the server to exit', function() return client.is_stopped() end)
  step('stopped')
end)

if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
if ok then vim.cmd('qa!') else vim.cmd('cq 1') end
"""


def launch_path(launch: str, tmp_path: Path) -> str:
    """PATH for the launch under test: `policy` first, or only a `python3` with the package."""
    if launch == "policy":
        return os.pathsep.join([str(Path(POLICY_COMMAND).parent), *SYSTEM_PATH])
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python3").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    (shim / "python3").chmod(0o755)
    path = os.pathsep.join([str(shim), *SYSTEM_PATH])
    assert shutil.which("policy", path=path) is None, "a `policy` on the system PATH hides the fallback"
    return path


def run_probe(workspace: HostileWorkspace, tmp_path: Path, launch: str) -> dict:
    probe = tmp_path / "probe.lua"
    probe.write_text(PROBE, encoding="utf-8")
    out = tmp_path / "probe.json"
    env = dict(os.environ, PROBE_OUT=str(out), PATH=launch_path(launch, tmp_path),
               PROBE_DOC=str(workspace.record), PROBE_POLICY=str(workspace.draft),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("VIRTUAL_ENV", None)
    command = [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n",
               "--cmd", "set rtp^=" + str(PLUGIN), "-c", "luafile " + str(probe)]
    try:
        # Neovim in the workspace, as a user starts it there: the server must not run there
        run = subprocess.run(command, cwd=workspace.root, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=TIMEOUT)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"headless Neovim did not finish in {TIMEOUT} s; output: {error.stdout!r} {error.stderr!r}")
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    assert run.returncode == 0 and "error" not in result, (
        f"probe failed (exit {run.returncode}): {result.get('error')}; steps: {result.get('steps')}; "
        f"planted modules imported: {workspace.imported()}; stderr: {run.stderr.decode(errors='replace')[-2000:]}")
    return result


@pytest.mark.parametrize("launch, command", [
    ("policy", ["policy", "lsp", "--stdio"]),
    ("python3", ["python3", "-m", "hotfix_policy.cli", "lsp", "--stdio"]),
])
def test_neovim_reads_diagnostics_and_completion(hostile_workspace: HostileWorkspace, tmp_path: Path, launch: str,
                                                 command: list):
    workspace = hostile_workspace.root
    result = run_probe(hostile_workspace, tmp_path, launch)
    if result["nvim"].startswith("0.7"):
        assert result["api"] == "vim.lsp.start_client"
    assert result["filetype"] == "markdown"
    assert result["client"] == {"name": "hotfix-policy", "root": str(workspace)}
    # the plugin's default command, started in the plugin's folder rather than the workspace
    assert result["launch"] == {"cmd": command, "cwd": str(PLUGIN / "lua")}
    assert hostile_workspace.imported() == []

    # What the server published (UTF-16: the emoji in "Severity: 😀 bad" is two code units) ...
    raw = {d["code"]: d["range"] for d in result["raw"]}
    assert raw["T001"] == {"start": {"line": 3, "character": 10}, "end": {"line": 3, "character": 16}}
    assert raw["T002"] == {"start": {"line": 4, "character": 8}, "end": {"line": 4, "character": 16}}
    # ... and what Neovim shows: byte columns (the emoji is four bytes), codes, severities
    t001, t002 = result["diagnostics"]
    assert t001 == {"lnum": 3, "col": 10, "end_lnum": 3, "end_col": 18, "code": "T001", "severity": 1,
                    "message": "Severity must be CRITICAL, HIGH or MEDIUM", "source": "hotfix-policy"}
    assert t002 == {"lnum": 4, "col": 8, "end_lnum": 4, "end_col": 16, "code": "T002", "severity": 2,
                    "message": "Unknown status", "source": "hotfix-policy"}

    # Completion after `Severity: ` (the server offers it: assert the enum values and the edit)
    assert result["completion_provider"] is True
    assert result["completion_position"] == {"line": 3, "character": 16}
    assert [i["label"] for i in result["completion"]] == ["CRITICAL", "HIGH", "MEDIUM"]
    assert all(i["kind"] == 20 for i in result["completion"])   # EnumMember
    assert result["completion"][0]["textEdit"] == {
        "range": {"start": {"line": 3, "character": 10}, "end": {"line": 3, "character": 16}},
        "newText": "CRITICAL"}
    # Neovim applied the edit over the emoji and the server re-checked the changed buffer
    assert result["edited_line"] == "Severity: CRITICAL"
    assert [d["code"] for d in result["after_edit"]] == ["T002"]

    # root detection by .policy.yaml: a YAML buffer under the same root shares the same server
    assert result["policy_filetype"] == "yaml"
    assert result["same_client"] is True
    assert result["clients"] == 1
    # the draft policy (YAML, found by content): the CEL syntax error at the stray 'MEDIUM',
    # line 9 column 56 (1-based), inside the expression
    [policy_diagnostic] = result["policy_diagnostics"]
    assert {k: policy_diagnostic[k] for k in ("lnum", "col", "end_lnum", "end_col", "severity")} == {
        "lnum": 8, "col": 55, "end_lnum": 8, "end_col": 56, "severity": 1}
    assert "'MEDIUM'" in policy_diagnostic["message"]
    assert result["steps"][-1] == "stopped"
    assert hostile_workspace.imported() == []


MODULE_PROBE = r"""
local out = os.getenv('PROBE_OUT')
local result = {}
local ok, err = pcall(function()
  local hp = require('hotfix_policy')
  local top = os.getenv('PROBE_TOP')
  result.git_only = hp.find_root(top .. '/notes/a.md')
  result.policy_first = hp.find_root(top .. '/team/incidents/INC-1.md')
  result.folder = hp.find_root(top .. '/team')
  result.none = hp.find_root('/', { '.no-such-marker' }) or vim.NIL

  -- the 0.8+ branch, with vim.lsp.start replaced by a recorder (this Neovim may be 0.7)
  local calls = {}
  vim.lsp.start = function(config, opts) table.insert(calls, { config = config, opts = opts }); return 7 end
  hp.setup({ cmd = { 'server', '--stdio' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(top .. '/team/incidents/INC-1.md'))
  vim.bo.filetype = 'markdown'
  vim.cmd('enew')
  vim.bo.filetype = 'markdown'   -- no file: not started
  vim.cmd('edit ' .. vim.fn.fnameescape(top .. '/team/notes.txt'))
  vim.bo.filetype = 'text'       -- not a configured filetype
  result.calls = {}
  for _, call in ipairs(calls) do
    table.insert(result.calls, { name = call.config.name, cmd = call.config.cmd, root = call.config.root_dir,
                                 cmd_cwd = call.config.cmd_cwd,
                                 debounce = call.config.flags.debounce_text_changes,
                                 buffer = vim.api.nvim_buf_get_name(call.opts.bufnr) })
  end
end)
if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
if ok then vim.cmd('qa!') else vim.cmd('cq 1') end
"""


def test_module_roots_and_the_start_api(tmp_path: Path):
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    (top / "notes").mkdir()
    (top / "team" / "incidents").mkdir(parents=True)
    (top / "team" / ".policy.yaml").write_text("packs: []\n", encoding="utf-8")
    (top / "team" / "incidents" / "INC-1.md").write_text(CLEAN_INCIDENT, encoding="utf-8")
    probe = tmp_path / "module.lua"
    probe.write_text(MODULE_PROBE, encoding="utf-8")
    out = tmp_path / "module.json"
    env = dict(os.environ, PROBE_OUT=str(out), PROBE_TOP=str(top))
    run = subprocess.run([NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", "--cmd", "set rtp^=" + str(PLUGIN),
                          "-c", "luafile " + str(probe)], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=TIMEOUT)
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    assert run.returncode == 0 and "error" not in result, (result.get("error"), run.stderr.decode(errors="replace"))
    assert result["git_only"] == str(top)                 # only .git above
    assert result["policy_first"] == str(top / "team")    # .policy.yaml wins over an enclosing .git
    assert result["folder"] == str(top / "team")          # a folder is its own start
    assert result["none"] is None
    # one start per file buffer of a configured filetype, with the module's configuration
    assert result["calls"] == [{"name": "hotfix-policy", "cmd": ["server", "--stdio"], "root": str(top / "team"),
                                "cmd_cwd": str(PLUGIN / "lua"), "debounce": 150,
                                "buffer": str(top / "team" / "incidents" / "INC-1.md")}]


FIX_AND_CLOCK_PROBE = r"""
local out = os.getenv('PROBE_OUT')
local result = { steps = {} }
local WAIT = 30000
local function wait(what, condition)
  if not vim.wait(WAIT, condition, 10) then error('timed out waiting for ' .. what) end
end
local function by_code(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if tostring(d.code) == code then return d end
  end
  return nil
end

local ok, err = pcall(function()
  local published = {}
  local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, params, ctx, config)
    published[params.uri] = params.diagnostics
    return publish(e, params, ctx, config)
  end
  require('hotfix_policy').setup({ debounce = 0, init_options = { hotfixPolicy = { testClock = {
    start = os.getenv('PROBE_START'), rate = tonumber(os.getenv('PROBE_RATE')) } } } })
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('PROBE_DOC')))
  local buf = vim.api.nvim_get_current_buf()
  wait('the client to attach', function() return #vim.lsp.buf_get_clients(buf) > 0 end)
  local client = vim.lsp.buf_get_clients(buf)[next(vim.lsp.buf_get_clients(buf))]
  wait('INC003 on the misspelt status', function() return by_code(buf, 'INC003') ~= nil end)
  table.insert(result.steps, 'diagnosed')

  -- the quick fixes the server offers for the diagnostic, as `vim.lsp.buf.code_action` asks
  local uri = vim.uri_from_bufnr(buf)
  local raw
  for _, d in ipairs(published[uri]) do if d.code == 'INC003' then raw = d end end
  local params = { textDocument = { uri = uri }, range = raw.range, context = { diagnostics = { raw } } }
  local responses, request_error = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, WAIT)
  if not responses then error('codeAction: ' .. tostring(request_error)) end
  result.titles = {}
  local fix
  for _, action in ipairs(responses[client.id].result or {}) do
    table.insert(result.titles, action.title)
    if action.kind == 'quickfix' and action.edit and action.title:find('FIXING', 1, true) then fix = action end
  end
  if not fix then error('no quick fix to FIXING among ' .. vim.inspect(result.titles)) end
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  result.fixed_line = vim.api.nvim_buf_get_lines(buf, raw.range.start.line, raw.range.start.line + 1, true)[1]
  wait('INC003 to go after the fix', function() return by_code(buf, 'INC003') == nil end)
  table.insert(result.steps, 'fixed')

  -- no edit from here on: the server's clock passes the update's due time by itself
  result.before_due = by_code(buf, 'INC006') ~= nil
  wait('INC006 as the clock passes', function() return by_code(buf, 'INC006') ~= nil end)
  local warning = by_code(buf, 'INC006')
  result.warning = { lnum = warning.lnum, severity = warning.severity, message = warning.message }
  table.insert(result.steps, 'ticked')
  vim.lsp.stop_client(client.id)
end)
if not ok then result.error = tostring(err) end
vim.fn.writefile({ vim.fn.json_encode(result) }, out)
if ok then vim.cmd('qa!') else vim.cmd('cq 1') end
"""


def test_neovim_applies_a_quick_fix_and_sees_the_clock_tick(tmp_path: Path):
    """The built-in pack in a workspace of its own: the quick fix for a misspelt status is applied
    through Neovim's own workspace-edit code, then, with no edit, the server's test clock (40 clock
    seconds a second) passes the update's due time and INC006 appears."""
    from tests.editor.test_clock import RECORD  # open, last update 14:12 (Status: FIXING)

    root = tmp_path / "ws"
    (root / "incidents").mkdir(parents=True)
    (root / ".policy.yaml").write_text("data:\n  update_interval_minutes: 30\n", encoding="utf-8")
    record = root / "incidents" / "INC-7.md"
    record.write_text(RECORD.replace("Status: FIXING", "Status: FIXNG"), encoding="utf-8")
    probe = tmp_path / "fix.lua"
    probe.write_text(FIX_AND_CLOCK_PROBE, encoding="utf-8")
    out = tmp_path / "fix.json"
    env = dict(os.environ, PROBE_OUT=str(out), PROBE_DOC=str(record), PROBE_START="2026-11-20T14:37:00Z",
               PROBE_RATE="40", PATH=os.pathsep.join([str(Path(POLICY_COMMAND).parent), *SYSTEM_PATH]),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    run = subprocess.run([NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", "--cmd", "set rtp^=" + str(PLUGIN),
                          "-c", "luafile " + str(probe)], cwd=root, env=env, stdin=subprocess.DEVNULL,
                         capture_output=True, timeout=TIMEOUT)
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    assert run.returncode == 0 and "error" not in result, (result.get("error"), run.stderr.decode(errors="replace"))
    assert "Change 'FIXNG' to 'FIXING'" in result["titles"]
    assert result["fixed_line"] == "Status: FIXING"
    assert result["before_due"] is False
    assert result["warning"]["lnum"] == 11 and result["warning"]["severity"] == 2
    assert "No status message for 30 minutes" in result["warning"]["message"]
    assert result["steps"] == ["diagnosed", "fixed", "ticked"]
