// The Testing view's controller (src/testing.js) driven without VS Code: a fake of the few API
// objects it uses and a fake language client that answers as the server does (the answers'
// shape is the server's, tested in tests/lsp/test_policy_tests.py).
// Run: node --test test/unit/
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { registerPolicyTests, RUN_EXAMPLES, LIST_DOCUMENTS } = require('../../src/testing');
const { middleware, clientCommands } = require('../../src/middleware');

class Collection {
  constructor() { this.map = new Map(); }
  get size() { return this.map.size; }
  add(item) { this.map.set(item.id, item); }
  replace(items) { this.map = new Map(items.map((item) => [item.id, item])); }
  forEach(callback) { [...this.map.values()].forEach((item) => callback(item, this)); }
  get(id) { return this.map.get(id); }
}

function fakeVscode() {
  const events = { runs: [], commands: new Map(), picks: [], opened: [], warnings: [], infos: [] };
  class Range { constructor(a, b, c, d) { Object.assign(this, { start: { line: a, character: b }, end: { line: c, character: d } }); } }
  class Location { constructor(uri, range) { Object.assign(this, { uri, range }); } }
  class TestMessage {
    constructor(message) { this.message = message; }
    static diff(message, expected, actual) { return Object.assign(new TestMessage(message), { expectedOutput: expected, actualOutput: actual }); }
  }
  const Uri = {
    parse: (text) => ({ text, toString: () => text }),
    joinPath: (base, ...parts) => ({ text: [base.text, ...parts].join('/') }),
  };
  const controller = {
    items: new Collection(),
    createTestItem: (id, label, uri) => ({ id, label, uri, children: new Collection() }),
    createRunProfile(label, kind, handler) { this.handler = handler; return {}; },
    createTestRun(request) {
      const run = { request, started: [], passed: [], failed: [], errored: [], ended: false };
      events.runs.push(run);
      return {
        started: (item) => run.started.push(item.id),
        passed: (item) => run.passed.push(item.id),
        failed: (item, message) => run.failed.push([item.id, message]),
        errored: (item, message) => run.errored.push([item.id, message]),
        end: () => { run.ended = true; },
      };
    },
    dispose() {},
  };
  const vscode = {
    Range, Location, TestMessage, Uri,
    TestRunProfileKind: { Run: 1 },
    TestRunRequest: class { constructor(include, exclude) { this.include = include; this.exclude = exclude; } },
    CancellationTokenSource: class { constructor() { this.token = { isCancellationRequested: false }; } dispose() {} },
    tests: { createTestController: () => controller },
    commands: { registerCommand: (id, callback) => { events.commands.set(id, callback); return { dispose() {} }; } },
    workspace: { workspaceFolders: [{ uri: { text: 'file:///ws' } }], asRelativePath: (uri) => uri.text.replace('file:///ws/', '') },
    window: {
      showQuickPick: async (choices, options) => { events.picks.push([choices, options]); return choices[0]; },
      showTextDocument: async (uri) => { events.opened.push(uri.text); },
      showWarningMessage: (message) => events.warnings.push(message),
      showInformationMessage: (message) => events.infos.push(message),
    },
  };
  return { vscode, controller, events };
}

const RANGE = (line) => ({ start: { line, character: 12 }, end: { line, character: 12 } });
const LISTED = {
  tests: [
    { id: 'policies/tests/incident.yaml', label: 'policies/tests/incident.yaml', kind: 'file', uri: 'file:///ws/policies/tests/incident.yaml', range: RANGE(0), parent: null, description: '' },
    { id: 'policies/tests/incident.yaml#1', label: 'incident.yaml[a clean record]', kind: 'case', uri: 'file:///ws/policies/tests/incident.yaml', range: RANGE(3), parent: 'policies/tests/incident.yaml', description: '' },
    { id: 'policies/incident.yaml', label: 'policies/incident.yaml', kind: 'file', uri: 'file:///ws/policies/incident.yaml', range: RANGE(0), parent: null, description: '' },
    { id: 'policies/incident.yaml#T001', label: 'T001', kind: 'rule', uri: 'file:///ws/policies/incident.yaml', range: RANGE(6), parent: 'policies/incident.yaml', description: 'Severity is a level' },
    { id: 'policies/incident.yaml#T001/1', label: 'T001[a word]', kind: 'example', uri: 'file:///ws/policies/incident.yaml', range: RANGE(10), parent: 'policies/incident.yaml#T001', description: '' },
    { id: 'policies/incident.yaml#T001/2', label: 'T001[a level]', kind: 'example', uri: 'file:///ws/policies/incident.yaml', range: RANGE(15), parent: 'policies/incident.yaml#T001', description: '' },
  ],
  errors: [{ uri: 'file:///ws/policies/tests/broken.yaml', range: RANGE(2), message: '`cases` must be a list' }],
  leftOut: 0,
};
const CASE_IDS = ['policies/tests/incident.yaml#1', 'policies/incident.yaml#T001/1', 'policies/incident.yaml#T001/2'];

/** A client answering as the server: each run request gives `perRound` results, the rest as notRun. */
function fakeClient(perRound = 10) {
  const client = {
    requests: [], handlers: new Map(),
    isRunning: () => true,
    onNotification(method, handler) { this.handlers.set(method, handler); return { dispose: () => this.handlers.delete(method) }; },
    async sendRequest(method, params) {
      this.requests.push([method, params]);
      if (method === 'hotfixPolicy/tests') return LISTED;
      const ids = params.ids || CASE_IDS;
      const results = ids.slice(0, perRound).map((id) => ({
        id, label: id, passed: !id.endsWith('/2'), message: id.endsWith('/2') ? 'INC-7.md: missing T001' : '',
        expected: 'INC-7.md: T001', actual: 'INC-7.md: no findings', uri: 'file:///ws/policies/incident.yaml', range: RANGE(15), seconds: 0.02,
      }));
      return { results, notRun: ids.slice(perRound) };
    },
  };
  return client;
}

function setUp(client = fakeClient()) {
  const fake = fakeVscode();
  const context = { subscriptions: [] };
  const tests = registerPolicyTests(context, () => client, clientCommands, fake.vscode);
  return { ...fake, client, tests, context };
}

test('the tree: files, rules under their file, examples and cases under their parent, with readable labels', async () => {
  const { controller, client, tests } = setUp();
  await tests.attach(client);
  const roots = [];
  controller.items.forEach((item) => roots.push(item.label));
  assert.deepEqual(roots, ['policies/tests/incident.yaml', 'policies/incident.yaml', 'policies/tests/broken.yaml:3:13']);
  const rule = controller.items.get('policies/incident.yaml').children.get('policies/incident.yaml#T001');
  assert.equal(rule.label, 'T001');
  assert.deepEqual([...rule.children.map.values()].map((item) => item.label), ['T001[a word]', 'T001[a level]']);
  assert.equal(rule.children.get('policies/incident.yaml#T001/2').range.start.line, 15);
  assert.equal(controller.items.get('error:policies/tests/broken.yaml:3:13:`cases` must be a list').error, '`cases` must be a list');
});

test('running a rule runs its examples; a failure is a diff of expected and actual at the example\'s line', async () => {
  const { controller, client, tests, events } = setUp();
  await tests.attach(client);
  const rule = controller.items.get('policies/incident.yaml').children.get('policies/incident.yaml#T001');
  await controller.handler({ include: [rule] }, { isCancellationRequested: false });
  assert.deepEqual(client.requests.at(-1), ['hotfixPolicy/runTests', { ids: ['policies/incident.yaml#T001/1', 'policies/incident.yaml#T001/2'] }]);
  const [run] = events.runs;
  assert.deepEqual(run.passed, ['policies/incident.yaml#T001/1']);
  const [[id, message]] = run.failed;
  assert.equal(id, 'policies/incident.yaml#T001/2');
  assert.equal(message.message, 'INC-7.md: missing T001');
  assert.equal(message.expectedOutput, 'INC-7.md: T001');
  assert.equal(message.actualOutput, 'INC-7.md: no findings');
  assert.equal(message.location.uri.text, 'file:///ws/policies/incident.yaml');
  assert.equal(message.location.range.start.line, 15);
  assert.ok(run.ended);
});

test('"Run policy tests" runs all, asking again for what the server could not run within its bound', async () => {
  const { client, tests, events } = setUp(fakeClient(2));
  await tests.attach(client);
  await events.commands.get('hotfixPolicy.runPolicyTests')();
  const runs = client.requests.filter(([method]) => method === 'hotfixPolicy/runTests').map(([, params]) => params);
  assert.deepEqual(runs, [{}, { ids: ['policies/incident.yaml#T001/2'] }]);
  assert.deepEqual(events.runs[0].started, CASE_IDS);
  assert.equal(events.runs[0].passed.length + events.runs[0].failed.length, 3);
});

test('the server saying the tests changed lists them again', async () => {
  const { client, tests } = setUp();
  await tests.attach(client);
  const before = client.requests.length;
  await client.handlers.get('hotfixPolicy/testsChanged')();
  assert.deepEqual(client.requests.slice(before).map(([method]) => method), ['hotfixPolicy/tests']);
});

test('the rule lenses are answered here: run examples in the Testing view, a quick pick of failing documents', async () => {
  const { client, tests, events } = setUp();
  await tests.attach(client);
  const serverCalls = [];
  const next = (command, args) => serverCalls.push([command, args]);
  await middleware.executeCommand(RUN_EXAMPLES, ['policies/incident.yaml#T001', 'T001'], next);
  assert.deepEqual(events.runs.at(-1).started, ['policies/incident.yaml#T001/1', 'policies/incident.yaml#T001/2']);
  const opened = await middleware.executeCommand(LIST_DOCUMENTS, ['T001', ['incidents/INC-1.md'], ['incidents/INC-2.md'], []], next);
  assert.equal(opened, 'incidents/INC-2.md');
  const [[choices, options]] = events.picks;
  assert.deepEqual(choices.map((choice) => choice.label), ['incidents/INC-2.md']);
  assert.equal(options.title, 'T001: fails 1, passes 1');
  assert.deepEqual(events.opened, ['file:///ws/incidents/INC-2.md']);
  await middleware.executeCommand(RUN_EXAMPLES, ['policies/gone.yaml#X001', 'X001'], next);
  assert.match(events.warnings[0], /policies\/gone.yaml#X001: not among the policy tests/);
  middleware.executeCommand('hotfix-policy.showPlace', ['a'], next);
  assert.deepEqual(serverCalls, [['hotfix-policy.showPlace', ['a']]]);
});
