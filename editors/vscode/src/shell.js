// The extension's shell around the language server: the language status items (server state,
// the configuration in force, packs, documents indexed, the clock) and the commands "Check
// workspace", "Clear workspace check results", "List rules" and "Open rule reference". What they
// say comes from src/shell-text.js; what they know comes from the server (hotfixPolicy/status
// and its statusChanged notification, hotfixPolicy/rules, hotfixPolicy/checkWorkspace).
// extension.js tells this module about each client it starts and each failure.
'use strict';

const vscode = require('vscode');
const { State } = require('vscode-languageclient/node');
const { statusItems, checkSummary, ruleItems, ruleTarget, ruleOfDiagnostic } = require('./shell-text');

const SELECTOR = [{ language: 'markdown' }, { language: 'yaml' }];
const SEVERITY = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
};

/** @param {vscode.ExtensionContext} context */
function registerShell(context) {
  let client; // the client extension.js started last
  let serverState = 'starting';
  let status; // the server's last status
  let failure = '';
  let checkedOnStart; // the client whose start the automatic workspace check ran for
  const items = new Map();

  function render() {
    const wanted = statusItems(serverState, status, failure);
    for (const [id, item] of items) {
      if (!wanted.some((shown) => shown.id === id)) { item.dispose(); items.delete(id); }
    }
    for (const shown of wanted) {
      let item = items.get(shown.id);
      if (!item) {
        item = vscode.languages.createLanguageStatusItem(`hotfixPolicy.${shown.id}`, SELECTOR);
        items.set(shown.id, item);
      }
      Object.assign(item, { name: shown.name, text: shown.text, detail: shown.detail, busy: shown.busy,
        severity: SEVERITY[shown.severity], command: shown.command });
    }
  }

  function received(from, next) {
    if (from !== client) return;
    status = next;
    render();
    const onStart = vscode.workspace.getConfiguration('hotfixPolicy').get('checkWorkspaceOnStart', false);
    if (onStart && next.documents !== null && checkedOnStart !== from) {
      checkedOnStart = from;
      checkWorkspace({ quiet: true });
    }
  }

  function attach(created) {
    client = created;
    status = undefined;
    serverState = 'starting';
    created.onNotification('hotfixPolicy/statusChanged', (next) => received(created, next));
    created.onDidChangeState(({ newState }) => {
      if (created !== client) return;
      if (newState === State.Running) {
        serverState = 'running';
        created.sendRequest('hotfixPolicy/status').then((next) => received(created, next), () => undefined);
      } else if (newState === State.Starting) {
        serverState = 'starting';
      } else if (serverState !== 'failed') {
        serverState = 'stopped';
      }
      render();
    });
    render();
  }

  async function runningClient() {
    if (client && client.state === State.Running) return client;
    const choice = await vscode.window.showWarningMessage('Hotfix Policy: the language server is not running.', 'Show Output');
    if (choice) await vscode.commands.executeCommand('hotfixPolicy.showOutput');
    return undefined;
  }

  async function checkWorkspace({ quiet = false } = {}) {
    const running = quiet ? client : await runningClient();
    if (!running) return;
    const options = { location: quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
      title: 'Hotfix Policy: checking the workspace', cancellable: !quiet };
    let cancelled = false;
    try {
      const summary = await vscode.window.withProgress(options, (_, token) => {
        token.onCancellationRequested(() => { cancelled = true; });
        return running.sendRequest('hotfixPolicy/checkWorkspace', null, token);
      });
      if (quiet) return;
      if (summary.files > 0) await vscode.commands.executeCommand('workbench.actions.view.problems');
      vscode.window.showInformationMessage(checkSummary(summary));
    } catch (error) {
      if (!cancelled) vscode.window.showErrorMessage(`Hotfix Policy: the workspace check failed: ${error && error.message ? error.message : error}`);
    }
  }

  async function clearWorkspaceCheck() {
    const running = await runningClient();
    if (running) await running.sendRequest('hotfixPolicy/clearWorkspaceCheck', null);
  }

  async function openTarget(running, target) {
    if (target.url) {
      await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
      return;
    }
    const location = running.protocol2CodeConverter.asLocation(target.location);
    await vscode.window.showTextDocument(location.uri, { selection: location.range });
  }

  async function listRules() {
    const running = await runningClient();
    if (!running) return;
    const answer = await running.sendRequest('hotfixPolicy/rules', null);
    const picked = await vscode.window.showQuickPick(ruleItems(answer.rules), {
      title: 'Hotfix Policy: rules in force', placeHolder: 'Type a rule id or words of its summary; Enter opens its reference',
      matchOnDescription: true, matchOnDetail: true,
    });
    if (picked) await openTarget(running, ruleTarget(picked.rule, answer.reference));
  }

  /** The reference of `ruleId`, else of the rule of the diagnostic at the cursor, else of every rule. */
  async function openRuleReference(ruleId) {
    const running = await runningClient();
    if (!running) return;
    const wanted = (typeof ruleId === 'string' ? ruleId : ruleAtCursor() || '').toUpperCase();
    const answer = await running.sendRequest('hotfixPolicy/rules', null);
    await openTarget(running, ruleTarget(answer.rules.find((rule) => rule.id === wanted), answer.reference));
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('hotfixPolicy.checkWorkspace', () => checkWorkspace()),
    vscode.commands.registerCommand('hotfixPolicy.clearWorkspaceCheck', clearWorkspaceCheck),
    vscode.commands.registerCommand('hotfixPolicy.listRules', listRules),
    vscode.commands.registerCommand('hotfixPolicy.openRuleReference', openRuleReference),
    { dispose: () => { for (const item of items.values()) item.dispose(); items.clear(); } },
  );
  render();

  return {
    attach,
    starting: () => { client = undefined; status = undefined; failure = ''; serverState = 'starting'; render(); },
    failed: (message) => { serverState = 'failed'; failure = message; render(); },
  };
}

function ruleAtCursor() {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const cursor = editor.selection.active;
  const found = vscode.languages.getDiagnostics(editor.document.uri)
    .filter((diagnostic) => diagnostic.range.contains(cursor)).map(ruleOfDiagnostic).find(Boolean);
  return found;
}

module.exports = { registerShell };
