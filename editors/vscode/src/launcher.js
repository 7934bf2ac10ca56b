// How the extension runs Python, in one place: always a script of its own by absolute path
// (python/launch_policy.py for `policy ...`, python/probe_interpreter.py for the interpreter
// check), never `python -m` or `python -c`. Those two put the working directory first on
// sys.path, and the working directory is the workspace: a repository with an `lsp/`,
// `hotfix_policy/` or `json.py` would run its own code when merely opened. A script run by its
// path puts its own folder first, and that folder ships inside the extension. No `vscode`
// import: the unit tests and tests/launchers/ read the commands from here.
'use strict';

const path = require('path');

const PYTHON_DIR = path.join(__dirname, '..', 'python');
const LAUNCH_SCRIPT = path.join(PYTHON_DIR, 'launch_policy.py');
const PROBE_SCRIPT = path.join(PYTHON_DIR, 'probe_interpreter.py');

/** `policy ARGS...` with the interpreter `python`, in `cwd` (the workspace is safe here). */
function policyExecutable(python, args, cwd) {
  return {
    command: python,
    args: [LAUNCH_SCRIPT, ...args],
    options: { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' }, windowsHide: true },
  };
}

/** The language server: `policy lsp EXTRA...`; vscode-languageclient appends `--stdio`. */
function serverExecutable(python, extraArgs, cwd) {
  return policyExecutable(python, ['lsp', ...extraArgs], cwd);
}

/** The interpreter check; `distribution` is the package whose version it reports. */
function probeExecutable(python, distribution, cwd) {
  return { command: python, args: [PROBE_SCRIPT, distribution], options: { cwd, windowsHide: true } };
}

module.exports = { LAUNCH_SCRIPT, PROBE_SCRIPT, policyExecutable, serverExecutable, probeExecutable };
