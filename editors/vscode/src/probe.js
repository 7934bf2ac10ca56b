// Asks a Python interpreter, before the language server is started with it, whether it can run
// the server: its version, and whether the server's packages import. Every way it can fail
// becomes one message that says what to install or set. No `vscode` import: unit-tested in Node.
// The question itself is python/probe_interpreter.py, run by its path (src/launcher.js says why).
'use strict';

const { execFile } = require('child_process');
const { probeExecutable } = require('./launcher');

const NAME = 'Hotfix Policy';
const PACKAGE = 'hotfix-policy';
const MIN_PYTHON = [3, 10];
const PROBE_TIMEOUT_MS = 20000;

/** With -I: pasted into a terminal whose folder is the workspace, a plain -m would run a workspace `pip/`. */
function installCommandFor(command) {
  const quoted = /\s/.test(command) ? `"${command}"` : command;
  return `${quoted} -I -m pip install ${PACKAGE}`;
}

/**
 * Resolves to { ok: true, info } or { ok: false, message, detail, installCommand?, info? }:
 * message for the notification, detail for the output channel.
 */
function probeInterpreter(command, cwd, timeoutMs = PROBE_TIMEOUT_MS) {
  const minimum = MIN_PYTHON.join('.');
  return new Promise((resolve) => {
    const probe = probeExecutable(command, PACKAGE, cwd);
    execFile(probe.command, probe.args, { ...probe.options, timeout: timeoutMs }, (error, stdout, stderr) => {
      const installCommand = installCommandFor(command);
      if (error && (error.code === 'ENOENT' || error.code === 'EACCES')) {
        resolve({
          ok: false,
          message: `${NAME} needs Python ${minimum}+ with the ${PACKAGE} package, but "${command}" was not found. Install Python, then \`pip install ${PACKAGE}\`, or point the setting hotfixPolicy.python at an interpreter that has it.`,
          detail: `Could not run ${command}: ${error.message}`,
        });
        return;
      }
      let info;
      try {
        info = JSON.parse(String(stdout).trim().split('\n').pop());
      } catch (_) {
        resolve({
          ok: false,
          installCommand,
          message: `${NAME}: "${command}" did not run as a Python interpreter${error && error.killed ? ` (no answer within ${timeoutMs / 1000}s)` : ''}. Set hotfixPolicy.python to a Python ${minimum}+ that has ${PACKAGE} installed.`,
          detail: `Probe of ${command} failed: ${error ? error.message : 'no output'}\n${stderr}`,
        });
        return;
      }
      const [major, minor] = info.version;
      if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
        resolve({
          ok: false,
          info,
          message: `${NAME} needs Python ${minimum} or newer; ${info.executable} is ${info.version.join('.')}. Point hotfixPolicy.python at a newer interpreter.`,
          detail: `Interpreter too old: ${info.executable} ${info.version.join('.')}`,
        });
        return;
      }
      if (info.missing.length > 0) {
        resolve({
          ok: false,
          installCommand,
          info,
          message: `${NAME}: the ${PACKAGE} package is not installed for ${info.executable} (missing: ${info.missing.join(', ')}). Install it with \`${installCommand}\`, or point hotfixPolicy.python at an interpreter that has it.`,
          detail: `Missing modules for ${info.executable}: ${info.missing.join(', ')}`,
        });
        return;
      }
      resolve({ ok: true, info });
    });
  });
}

module.exports = { PACKAGE, MIN_PYTHON, PROBE_TIMEOUT_MS, probeInterpreter, installCommandFor };
