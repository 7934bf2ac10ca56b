// Checks of the extension that need no VS Code: the manifest, the commands it registers, how it
// launches Python, and the snippets against the templates `policy new` prints (so the two never
// drift apart; `policy` runs through the extension's own launcher, as the extension runs it).
// Run: node --test test/unit/   (HOTFIX_POLICY_PYTHON: an interpreter with hotfix-policy)
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const launcher = require('../../src/launcher');
const { middleware } = require('../../src/middleware');

const root = path.resolve(__dirname, '..', '..');
const repo = path.resolve(root, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const source = fs.readFileSync(path.join(root, 'src', 'extension.js'), 'utf8');
const markdown = JSON.parse(fs.readFileSync(path.join(root, 'snippets', 'markdown.json'), 'utf8'));
const git = JSON.parse(fs.readFileSync(path.join(root, 'snippets', 'git.json'), 'utf8'));
const python = process.env.HOTFIX_POLICY_PYTHON || 'python3';

test('the manifest targets VS Code 1.82 with vscode-languageclient 9.0.1', () => {
  assert.equal(manifest.engines.vscode, '^1.82.0');
  assert.equal(manifest.dependencies['vscode-languageclient'], '9.0.1');
  assert.equal(manifest.license, 'Apache-2.0');
  for (const event of ['onLanguage:markdown', 'onLanguage:yaml']) assert.ok(manifest.activationEvents.includes(event), event);
});

test('every contributed command is registered, with the titles users look for', () => {
  const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
  assert.equal(titles['hotfixPolicy.restartServer'], 'Hotfix Policy: Restart Server');
  assert.equal(titles['hotfixPolicy.newIncident'], 'Hotfix Policy: New incident record');
  assert.equal(titles['hotfixPolicy.runPolicyTests'], 'Hotfix Policy: Run policy tests');
  const sources = fs.readdirSync(path.join(root, 'src')).map((name) => fs.readFileSync(path.join(root, 'src', name), 'utf8'));
  for (const command of Object.keys(titles)) {
    assert.ok(sources.some((text) => text.includes(`registerCommand('${command}'`)), `${command} is not registered in src/`);
  }
});

test('the settings exist: the interpreter and the trace the language client reads', () => {
  const properties = manifest.contributes.configuration.properties;
  assert.equal(properties['hotfixPolicy.python'].type, 'string');
  assert.deepEqual(properties['hotfixPolicy.trace.server'].enum, ['off', 'messages', 'verbose']);
  // vscode-languageclient reads `<client id>.trace.server`.
  assert.ok(source.includes("const CLIENT_ID = 'hotfixPolicy'"));
});

test('an untrusted workspace cannot choose the program the extension runs', () => {
  const trust = manifest.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.deepEqual(trust.restrictedConfigurations.sort(), ['hotfixPolicy.python', 'hotfixPolicy.serverArgs']);
});

test('the outline of Markdown is VS Code\'s own; policy YAML gets the server\'s', () => {
  const next = (document) => [`outline of ${document.languageId}`];
  assert.deepEqual(middleware.provideDocumentSymbols({ languageId: 'markdown' }, undefined, next), []);
  assert.deepEqual(middleware.provideDocumentSymbols({ languageId: 'yaml' }, undefined, next), ['outline of yaml']);
  assert.ok(source.includes('    middleware,\n'), 'the client is created with the middleware');
});

// -- how Python is launched: never `-m` or `-c`, which put the workspace first on sys.path ------

test('the server, the probe and `policy new` run a script of the extension by its absolute path', () => {
  const cwd = path.join(os.tmpdir(), 'some-workspace');
  const server = launcher.serverExecutable('/usr/bin/python3', ['--log-level', 'DEBUG'], cwd);
  assert.equal(server.command, '/usr/bin/python3');
  assert.deepEqual(server.args, [path.join(root, 'python', 'launch_policy.py'), 'lsp', '--log-level', 'DEBUG']);
  assert.equal(server.options.cwd, cwd);
  const probe = launcher.probeExecutable('/usr/bin/python3', 'hotfix-policy', cwd);
  assert.deepEqual(probe.args, [path.join(root, 'python', 'probe_interpreter.py'), 'hotfix-policy']);
  const create = launcher.policyExecutable('/usr/bin/python3', ['new', 'incident'], cwd);
  assert.deepEqual(create.args.slice(1), ['new', 'incident']);
  for (const run of [server, probe, create]) {
    // the first argument is what Python runs: a file of the extension, not an option
    assert.ok(run.args[0].startsWith(path.join(root, 'python') + path.sep) && fs.existsSync(run.args[0]), run.args[0]);
  }
});

test('src/ starts Python only through src/launcher.js', () => {
  for (const name of fs.readdirSync(path.join(root, 'src'))) {
    const text = fs.readFileSync(path.join(root, 'src', name), 'utf8');
    assert.ok(!/['"`]-[mc]['"`]/.test(text), `src/${name} passes -m or -c to Python`);
  }
  // extension.js: the language client's server options and `policy new` come from the launcher
  assert.match(source, /const server = serverExecutable\(interpreter\.command, extraArgs, firstWorkspaceFolder\(\)\);/);
  assert.match(source, /const serverOptions = \{ \.\.\.server, transport: TransportKind\.stdio \};/);
  assert.match(source, /policyExecutable\(interpreter\.command, \['new', 'incident', '--snippet'\]/);
  assert.match(fs.readFileSync(path.join(root, 'src', 'probe.js'), 'utf8'), /probeExecutable\(command, PACKAGE, cwd\)/);
});

test('the launcher scripts ship in the .vsix', { skip: !fs.existsSync(path.join(root, 'node_modules', '.bin', 'vsce')) && 'npm ci first' }, () => {
  const listed = execFileSync(path.join(root, 'node_modules', '.bin', 'vsce'), ['ls'], { cwd: root, encoding: 'utf8' });
  const files = listed.split('\n').map((line) => line.trim());
  for (const script of ['python/launch_policy.py', 'python/probe_interpreter.py']) assert.ok(files.includes(script), script);
  assert.ok(!files.some((file) => file.includes('__pycache__')), 'a __pycache__ would ship');
});

test('yamlValidation points at schemas copied from the repository at package time', () => {
  const byUrl = {};
  for (const entry of manifest.contributes.yamlValidation) byUrl[entry.url] = [].concat(entry.fileMatch);
  assert.deepEqual(byUrl['./schemas/config.schema.json'], ['.policy.yaml']);
  assert.ok(byUrl['./schemas/policy.schema.json'].includes('policies/**/*.yaml'));
  for (const url of Object.keys(byUrl)) {
    assert.ok(fs.existsSync(path.join(repo, 'schemas', path.basename(url))), `${url} has no original in schemas/`);
  }
  assert.equal(manifest.scripts['vscode:prepublish'], 'node scripts/copy-schemas.js');
});

// -- snippets against `policy new` ----------------------------------------------------------------

/** A snippet body with every tab stop at its default (first choice) and fixed variables. */
function expand(body) {
  let text = Array.isArray(body) ? body.join('\n') : body;
  const variables = { CURRENT_YEAR: '2026', CURRENT_MONTH: '11', CURRENT_DATE: '20', CURRENT_HOUR: '09',
    CURRENT_MINUTE: '10', CURRENT_TIMEZONE_OFFSET: '+00:00' };
  const defaults = {};
  for (let previous = null; previous !== text;) {
    previous = text;
    text = text
      .replace(/\$\{([A-Z_]+)\}/g, (_, name) => variables[name] ?? `<unknown ${name}>`)
      .replace(/\$\{(\d+)\|([^,|}]*)[^}]*\|\}/g, (_, n, first) => (defaults[n] = first))
      .replace(/\$\{(\d+):([^${}]*)\}/g, (_, n, value) => (defaults[n] = value));
  }
  return text.replace(/\$\{(\d+)\}|\$(\d+)/g, (_, a, b) => defaults[a || b] ?? '');
}

/** What a line contributes to a template's structure: a heading, a label, a checklist item. */
function shape(line) {
  const text = line.trim().replace(/\[[^\]]*\]/g, '[]');
  if (!text) return null;
  const check = /^- \[[ xX]?\]\s*([^:[]*)/.exec(line.trim());
  if (check && check[1].trim()) return `check: ${check[1].trim()}`;
  const label = /^(?:[-*]\s+)?(?:\*\*)?([A-Za-z][A-Za-z /'-]*?):/.exec(text);
  if (label) return `label: ${label[1].toLowerCase()}`;
  // Headings and block markers: any heading level, emoji or not (DESIGN.md accepts them all).
  return `line: ${text.replace(/^#+\s*/, '').replace(/[^A-Za-z -]/g, '').trim().split(/\s+/).slice(0, 3).join(' ')}`;
}

function shapes(text) {
  return text.split('\n').map(shape).filter(Boolean);
}

/** `policy ARGS...` through the extension's launcher script, as the extension runs it. */
function policy(args, input) {
  const run = launcher.policyExecutable(python, args, repo);
  return execFileSync(run.command, run.args, { ...run.options, encoding: 'utf8', input });
}

function template(kind, variant) {
  return policy(['new', kind].concat(variant ? ['--variant', variant] : []));
}

const cases = [
  ['status_update', 'in_progress', markdown['HOTFIX IN PROGRESS']],
  ['status_update', 'declaration', markdown['PRODUCTION INCIDENT DECLARED']],
  ['status_update', 'update', markdown['INCIDENT UPDATE']],
  ['status_update', 'resolution', markdown['INCIDENT RESOLVED']],
  ['commit', null, git['Hotfix commit message']],
  ['tag', null, git['Hotfix tag message']],
];

for (const [kind, variant, snippet] of cases) {
  test(`the snippet for ${kind}${variant ? ` (${variant})` : ''} has every line of \`policy new\``, () => {
    assert.ok(snippet, 'snippet missing');
    const expected = shapes(template(kind, variant)).filter((s) => s !== 'line: ---');
    const actual = shapes(expand(snippet.body));
    assert.deepEqual(expected.filter((s) => !actual.includes(s)), []);
  });
}

test('the emergency bypass snippet has every line of the section `policy new pull_request` comments out', () => {
  const bypass = template('pull_request').split('<!--')[1].split('\n').slice(1).join('\n').split('-->')[0];
  const bypassShapes = shapes(expand(markdown['Emergency bypass justification'].body));
  assert.deepEqual(shapes(bypass).filter((s) => !bypassShapes.includes(s)), []);
});

test('whole templates come from the server alone (its completion, `policy new --snippet`), not also from snippets', () => {
  const firstLines = new Set(['incident', 'pull_request', 'post_incident_review'].map((kind) => template(kind).split('\n').find((l) => l.startsWith('#'))));
  for (const [name, snippet] of Object.entries(markdown)) {
    const first = expand(snippet.body).split('\n').find((l) => l.startsWith('#'));
    assert.ok(!firstLines.has(first), `${name} duplicates a whole template: ${first}`);
  }
});

test('snippets expand without unknown variables, and the git ones are also in Markdown', () => {
  for (const [name, snippet] of Object.entries({ ...markdown, ...git })) {
    const text = expand(snippet.body);
    assert.ok(!text.includes('<unknown'), `${name}: ${text}`);
    assert.ok(!/\$\{|\$\d/.test(text), `${name} left a tab stop: ${text}`);
  }
  for (const name of Object.keys(git)) assert.deepEqual(markdown[name], git[name]);
});

test('"New incident record" inserts `policy new incident --snippet`: the template, its placeholders tab stops', () => {
  assert.ok(source.includes("['new', 'incident', '--snippet']"), 'the command runs policy new incident --snippet');
  const snippet = policy(['new', 'incident', '--snippet']);
  assert.match(snippet, /^# INC-\$\{1:\[incident-number\]\}: \$\{2:\[Brief description\]\}$/m);
  assert.match(snippet, /^Commander: @\$\{\d+:\[name\]\}$/m);
  assert.equal(expand(snippet), template('incident'));
});

test("the test clock reaches the server from the user's settings only, never a workspace's", () => {
  const { initializationOptions } = require('../../src/initialization');
  const clock = { start: '2026-11-20T14:37:00Z', rate: 30 };
  const settings = (values) => ({ inspect: (key) => (key === 'testClock' ? values : undefined) });
  assert.deepEqual(initializationOptions(settings({ globalValue: clock })), { hotfixPolicy: { testClock: clock } });
  assert.deepEqual(initializationOptions(settings({ workspaceValue: clock, workspaceFolderValue: clock })), {});
  assert.deepEqual(initializationOptions(settings(undefined)), {});
});
