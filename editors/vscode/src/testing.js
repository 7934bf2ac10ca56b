// Policy tests in VS Code's Testing view: the workspace's policy tests and rule examples, as the
// language server lists them (`hotfixPolicy/tests`: the same cases `policy test` runs), run one,
// a file, a rule's examples or all (`hotfixPolicy/runTests`), a failure shown at the example's
// line with the expected and actual findings side by side. The list is read again when the server
// says the policies changed (`hotfixPolicy/testsChanged`). The rule lenses' commands are answered
// here with VS Code's own UI: "run N examples" runs them in the Testing view, "fails N" offers the
// failing documents in a quick pick. `vscode` is a parameter so that the unit tests can drive the
// controller without VS Code.
'use strict';

const TESTS = 'hotfixPolicy/tests';
const RUN_TESTS = 'hotfixPolicy/runTests';
const TESTS_CHANGED = 'hotfixPolicy/testsChanged';
const RUN_EXAMPLES = 'hotfix-policy.runRuleExamples';
const LIST_DOCUMENTS = 'hotfix-policy.listRuleDocuments';
const CONTROLLER_ID = 'hotfixPolicy';
const CONTROLLER_LABEL = 'Hotfix Policy';
const MAX_RUN_ROUNDS = 1000; // the server answers each request within its bound; the rest is asked again

/**
 * Creates the test controller and the commands; `getClient()` gives the running language client
 * (or undefined). `clientCommands`: the middleware's map of lens commands answered here.
 */
function registerPolicyTests(context, getClient, clientCommands, vscode = require('vscode')) {
  const tests = new PolicyTests(vscode, getClient);
  clientCommands.set(RUN_EXAMPLES, (testId) => tests.runById(testId));
  clientCommands.set(LIST_DOCUMENTS, (rule, passed, failed, errors) => tests.pickDocument(rule, passed, failed, errors));
  context.subscriptions.push(tests, vscode.commands.registerCommand('hotfixPolicy.runPolicyTests', () => tests.runAll()));
  return tests;
}

class PolicyTests {
  constructor(vscode, getClient) {
    this.vscode = vscode;
    this.getClient = getClient;
    this.items = new Map(); // test id -> TestItem
    this.controller = vscode.tests.createTestController(CONTROLLER_ID, CONTROLLER_LABEL);
    this.controller.resolveHandler = (item) => (item ? undefined : this.refresh());
    this.controller.refreshHandler = () => this.refresh();
    this.profile = this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run,
      (request, token) => this.run(request, token), true);
    this.listening = undefined;
  }

  /** A (re)started client: listen for its "tests changed", and list the tests. */
  attach(client) {
    if (this.listening) this.listening.dispose();
    this.listening = client.onNotification(TESTS_CHANGED, () => this.refresh());
    return this.refresh();
  }

  dispose() {
    if (this.listening) this.listening.dispose();
    this.controller.dispose();
  }

  /** The server's list of tests, as the controller's tree (files > rules > examples, files > cases). */
  async refresh() {
    const client = this.getClient();
    if (!client || !client.isRunning()) return;
    const answer = await client.sendRequest(TESTS, {});
    this.show(answer);
  }

  show(answer) {
    const { vscode, controller } = this;
    const items = new Map();
    const roots = [];
    for (const test of answer.tests || []) {
      const item = controller.createTestItem(test.id, test.label, vscode.Uri.parse(test.uri));
      if (test.range) item.range = toRange(vscode, test.range);
      if (test.description) item.description = test.description;
      item.sortText = String(items.size).padStart(6, '0'); // the order of the files, as `policy test` runs them
      items.set(test.id, item);
      const parent = test.parent ? items.get(test.parent) : undefined;
      if (parent) parent.children.add(item);
      else roots.push(item);
    }
    for (const error of answer.errors || []) {
      const where = error.range ? `:${error.range.start.line + 1}:${error.range.start.character + 1}` : '';
      const shown = error.uri ? `${vscode.workspace.asRelativePath(vscode.Uri.parse(error.uri))}${where}` : '';
      const item = controller.createTestItem(`error:${shown}:${error.message}`, shown || 'policy error',
        error.uri ? vscode.Uri.parse(error.uri) : undefined);
      if (error.range) item.range = toRange(vscode, error.range);
      item.error = error.message;
      roots.push(item);
    }
    if (answer.leftOut) {
      const item = controller.createTestItem('left-out', `${answer.leftOut} more tests not listed`);
      item.error = `Only the first tests are listed (MAX_LISTED_TESTS); ${answer.leftOut} more were left out.`;
      roots.push(item);
    }
    this.items = items;
    controller.items.replace(roots);
  }

  /** Runs what the request includes (all when nothing), less what it excludes. */
  async run(request, token) {
    const { vscode } = this;
    const client = this.getClient();
    const run = this.controller.createTestRun(request);
    try {
      const leaves = this.leaves(request);
      leaves.forEach((item) => run.started(item));
      if (!client || !client.isRunning()) {
        const message = new vscode.TestMessage('The Hotfix Policy language server is not running: see "Hotfix Policy: Show Output".');
        leaves.forEach((item) => run.errored(item, message));
        return;
      }
      const everything = !request.include && !(request.exclude && request.exclude.length);
      let ids = everything ? undefined : leaves.map((item) => item.id);
      for (let round = 0; round < MAX_RUN_ROUNDS && !token.isCancellationRequested; round += 1) {
        if (ids && ids.length === 0) break;
        const answer = await client.sendRequest(RUN_TESTS, ids ? { ids } : {}, token);
        for (const result of answer.results || []) this.report(run, result);
        if (!answer.notRun || answer.notRun.length === 0) break;
        ids = answer.notRun;
      }
    } finally {
      run.end();
    }
  }

  report(run, result) {
    const item = this.items.get(result.id);
    if (!item) return;
    const duration = Math.round((result.seconds || 0) * 1000);
    if (result.passed) run.passed(item, duration);
    else run.failed(item, failureMessage(this.vscode, result), duration);
  }

  /** The cases a request names (its items' leaves; every case when it names none), less the excluded. */
  leaves(request) {
    const excluded = new Set((request.exclude || []).map((item) => item.id));
    const found = [];
    const visit = (item) => {
      if (excluded.has(item.id)) return;
      if (item.children.size === 0) {
        if (this.items.get(item.id) === item) found.push(item);
        return;
      }
      item.children.forEach(visit);
    };
    if (request.include) request.include.forEach(visit);
    else this.controller.items.forEach(visit);
    return found;
  }

  runAll() {
    return this.runItems(undefined);
  }

  /** The lens "run N examples": that rule's examples, results in the Testing view. */
  async runById(testId) {
    if (!this.items.has(testId)) await this.refresh();
    const item = this.items.get(testId);
    if (!item) {
      this.vscode.window.showWarningMessage(`${testId}: not among the policy tests of this workspace's configuration.`);
      return;
    }
    await this.runItems([item]);
  }

  runItems(include) {
    const source = new this.vscode.CancellationTokenSource();
    return this.run(new this.vscode.TestRunRequest(include), source.token).finally(() => source.dispose());
  }

  /** The lens "fails N": a quick pick of the failing documents (workspace-relative); opens the one chosen. */
  async pickDocument(rule, passed = [], failed = [], errors = []) {
    const { vscode } = this;
    const choices = failed.map((path) => ({ label: path, description: `fails ${rule}` }))
      .concat(errors.map((path) => ({ label: path, description: `${rule} could not be evaluated` })));
    if (choices.length === 0) {
      vscode.window.showInformationMessage(`${rule}: no document fails (passes ${passed.length}).`);
      return undefined;
    }
    const chosen = await vscode.window.showQuickPick(choices, {
      title: `${rule}: fails ${failed.length}, passes ${passed.length}${errors.length ? `, errors ${errors.length}` : ''}`,
      placeHolder: 'Open a document the rule fails',
    });
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    if (!chosen || !folder) return undefined;
    const uri = vscode.Uri.joinPath(folder.uri, ...chosen.label.split('/'));
    await vscode.window.showTextDocument(uri);
    return chosen.label;
  }
}

/** A failed case: what differs as the message, expected and actual findings as a diff, at the case's line. */
function failureMessage(vscode, result) {
  const message = vscode.TestMessage.diff(result.message || `${result.label} failed`, result.expected || '', result.actual || '');
  message.location = new vscode.Location(vscode.Uri.parse(result.uri), toRange(vscode, result.range));
  return message;
}

function toRange(vscode, range) {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

module.exports = {
  registerPolicyTests, PolicyTests, failureMessage, TESTS, RUN_TESTS, TESTS_CHANGED, RUN_EXAMPLES, LIST_DOCUMENTS,
};
