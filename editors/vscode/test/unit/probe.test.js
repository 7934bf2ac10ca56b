// The interpreter check that runs before the language server starts: each way it can fail gives
// a message that says what to install or set (the end-to-end test covers "not found" in VS Code).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { probeInterpreter, installCommandFor } = require('../../src/probe');

const python = process.env.HOTFIX_POLICY_PYTHON || 'python3';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hotfix-policy-probe-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

function script(name, body) {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

test('an interpreter with hotfix-policy passes', async () => {
  const result = await probeInterpreter(python, scratch);
  assert.equal(result.ok, true, result.message);
  assert.deepEqual(result.info.missing, []);
});

test('a missing interpreter: says it was not found and what to install', async () => {
  const result = await probeInterpreter(path.join(scratch, 'no-such-python'), scratch);
  assert.equal(result.ok, false);
  assert.match(result.message, /was not found/);
  assert.match(result.message, /pip install hotfix-policy/);
  assert.match(result.message, /hotfixPolicy\.python/);
});

test('a Python without the package: names what is missing and the pip command for that Python', async () => {
  // -S: no site-packages, so the installed package is out of sight.
  const bare = script('bare-python', `exec "${python}" -S "$@"`);
  const result = await probeInterpreter(bare, scratch);
  assert.equal(result.ok, false);
  assert.match(result.message, /the hotfix-policy package is not installed/);
  assert.match(result.message, /missing: .*pygls/);
  assert.equal(result.installCommand, `${bare} -I -m pip install hotfix-policy`);
  assert.ok(result.message.includes(result.installCommand));
});

test('a Python older than 3.10 is refused by version', async () => {
  const old = script('old-python', 'echo \'{"executable": "/opt/py38/bin/python", "version": [3, 8, 10], "missing": [], "package": null}\'');
  const result = await probeInterpreter(old, scratch);
  assert.equal(result.ok, false);
  assert.match(result.message, /needs Python 3\.10 or newer; \/opt\/py38\/bin\/python is 3\.8\.10/);
});

test('something that is not Python: says so', async () => {
  const notPython = script('not-python', 'echo "usage: not-python [options]" >&2; exit 2');
  const result = await probeInterpreter(notPython, scratch);
  assert.equal(result.ok, false);
  assert.match(result.message, /did not run as a Python interpreter/);
});

test('the install command quotes a path with spaces', () => {
  assert.equal(installCommandFor('/opt/my python/bin/python'), '"/opt/my python/bin/python" -I -m pip install hotfix-policy');
});
