// Hotfix Policy for VS Code: starts the hotfix-policy language server (`policy lsp`, through the
// extension's own python/launch_policy.py: see src/launcher.js) over stdio, and adds snippets, a
// "New incident record" command, schema associations for Red Hat's YAML extension, and the
// language status items and workspace commands of src/shell.js. Every
// failure to start the server ends in a notification that says what to install; nothing fails
// silently.
'use strict';

const vscode = require('vscode');
const { LanguageClient, State, CloseAction, ErrorAction, RevealOutputChannelOn, TransportKind } = require('vscode-languageclient/node');
const { execFile } = require('child_process');
const os = require('os');
const path = require('path');

const CLIENT_ID = 'hotfixPolicy'; // also the prefix of the `hotfixPolicy.trace.server` setting
const CLIENT_NAME = 'Hotfix Policy';
const { PACKAGE, PROBE_TIMEOUT_MS, probeInterpreter, installCommandFor } = require('./probe');
const { policyExecutable, serverExecutable } = require('./launcher');
const { middleware, clientCommands } = require('./middleware');
const { initializationOptions } = require('./initialization');
const { registerShell } = require('./shell');
const { registerPolicyTests } = require('./testing');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel} */
let output;
/** @type {vscode.ExtensionContext} */
let extensionContext;
let starting = Promise.resolve();
let pythonApiListener;
let shell; // the status items and workspace commands (src/shell.js)
let policyTests;

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  extensionContext = context;
  output = vscode.window.createOutputChannel(CLIENT_NAME);
  context.subscriptions.push(output);
  log(`${CLIENT_NAME} ${context.extension.packageJSON.version} on VS Code ${vscode.version}`);
  shell = registerShell(context);

  context.subscriptions.push(
    vscode.commands.registerCommand('hotfixPolicy.restartServer', () => restart('command')),
    vscode.commands.registerCommand('hotfixPolicy.newIncident', newIncidentRecord),
    vscode.commands.registerCommand('hotfixPolicy.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('hotfixPolicy.showInstallInstructions', showInstallInstructions),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('hotfixPolicy.python') || event.affectsConfiguration('hotfixPolicy.serverArgs')) {
        restart('settings changed');
      }
    }),
    { dispose: () => pythonApiListener && pythonApiListener.dispose() },
  );

  policyTests = registerPolicyTests(context, () => client, clientCommands);
  await restart('activation');
  return { getClient: () => client };
}

async function deactivate() {
  await stopClient();
}

function log(message) {
  output.appendLine(`[${new Date().toISOString()}] ${message}`);
}

// -- starting and stopping ----------------------------------------------------------------------

function restart(reason) {
  // Serialise: a restart waits for the previous start or stop to finish.
  starting = starting.then(async () => {
    log(`Starting the language server (${reason}).`);
    shell.starting();
    await stopClient();
    await startClient();
  }).catch((error) => {
    log(`Unexpected error: ${error && error.stack ? error.stack : error}`);
    notifyFailure(`${CLIENT_NAME}: the language server could not start: ${error && error.message ? error.message : error}`);
  });
  return starting;
}

async function stopClient() {
  if (!client) return;
  const old = client;
  client = undefined;
  try {
    if (old.state !== State.Stopped) await old.stop(5000);
  } catch (error) {
    log(`Stopping the server: ${error && error.message ? error.message : error}`);
  }
  await old.dispose().catch(() => undefined);
}

async function startClient() {
  const interpreter = await resolveInterpreter();
  log(`Python: ${interpreter.command} (from ${interpreter.source})`);
  const probe = await probeInterpreter(interpreter.command, firstWorkspaceFolder());
  if (!probe.ok) {
    log(probe.detail);
    notifyFailure(probe.message, probe.installCommand);
    return;
  }
  log(`Python ${probe.info.version.join('.')} at ${probe.info.executable}; ${PACKAGE} ${probe.info.package || '(version unknown)'}`);

  const config = vscode.workspace.getConfiguration('hotfixPolicy');
  const extraArgs = config.get('serverArgs', []);
  const server = serverExecutable(interpreter.command, extraArgs, firstWorkspaceFolder());
  log(`Server: ${server.command} ${server.args.join(' ')} --stdio`);
  // vscode-languageclient appends --stdio for this transport.
  const serverOptions = { ...server, transport: TransportKind.stdio };

  const crashes = []; // times of unexpected stops: more than 4 within 3 minutes and we give up
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'untitled', language: 'markdown' },
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.md,*.markdown,*.yaml,*.yml}'),
    },
    middleware,
    initializationOptions: initializationOptions(vscode.workspace.getConfiguration('hotfixPolicy')),
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationFailedHandler: (error) => {
      log(`Initialisation failed: ${error && error.message ? error.message : error}`);
      notifyFailure(`${CLIENT_NAME}: the language server failed to initialise (${error && error.message ? error.message : error}). See the output for details.`);
      return false;
    },
    errorHandler: {
      error: (error, message, count) => {
        log(`Connection error: ${error && error.message ? error.message : error}`);
        return { action: count && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
      },
      closed: () => {
        const now = Date.now();
        crashes.push(now);
        while (crashes.length > 0 && now - crashes[0] > 3 * 60 * 1000) crashes.shift();
        if (crashes.length <= 4) {
          log(`The language server stopped unexpectedly; restarting (${crashes.length} of 4 within 3 minutes).`);
          return { action: CloseAction.Restart, handled: true };
        }
        notifyFailure(`${CLIENT_NAME}: the language server stopped 5 times within 3 minutes and will not be restarted. See the output for its last words, then run "Hotfix Policy: Restart Server".`);
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };

  const created = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = created;
  shell.attach(created);
  try {
    await created.start();
    log('The language server is running.');
    policyTests.attach(created).catch((error) => log(`Listing the policy tests: ${error && error.message ? error.message : error}`));
  } catch (error) {
    if (client === created) client = undefined;
    log(`The language server did not start: ${error && error.stack ? error.stack : error}`);
    notifyFailure(`${CLIENT_NAME}: the language server did not start (${error && error.message ? error.message : error}). Is ${PACKAGE} installed for ${interpreter.command}?`,
      installCommandFor(interpreter.command));
  }
}

function firstWorkspaceFolder() {
  const folders = vscode.workspace.workspaceFolders;
  return folders && folders.length > 0 && folders[0].uri.scheme === 'file' ? folders[0].uri.fsPath : undefined;
}

// -- which Python -------------------------------------------------------------------------------

/**
 * The interpreter: the setting, else the Python extension's selection, else python3. In an
 * untrusted workspace the Python extension's selection can be the workspace's own virtual
 * environment, a program the repository brings: there only the user's setting or python3 run.
 */
async function resolveInterpreter() {
  const configured = (vscode.workspace.getConfiguration('hotfixPolicy').get('python') || '').trim();
  if (configured) return { command: expandPath(configured), source: 'setting hotfixPolicy.python' };
  const fromExtension = vscode.workspace.isTrusted ? await pythonFromPythonExtension() : undefined;
  if (fromExtension) return { command: fromExtension, source: 'the Python extension' };
  return { command: process.platform === 'win32' ? 'python' : 'python3', source: 'default' };
}

function expandPath(value) {
  const folder = firstWorkspaceFolder() || '';
  let result = value.replace(/\$\{workspaceFolder\}/g, folder).replace(/\$\{userHome\}/g, os.homedir());
  if (result === '~' || result.startsWith('~/')) result = path.join(os.homedir(), result.slice(1));
  return result;
}

async function pythonFromPythonExtension() {
  const extension = vscode.extensions.getExtension('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    if (!api) return undefined;
    if (api.ready) await api.ready;
    const resource = vscode.workspace.workspaceFolders ? vscode.workspace.workspaceFolders[0].uri : undefined;
    if (api.environments && api.environments.getActiveEnvironmentPath) {
      if (!pythonApiListener && api.environments.onDidChangeActiveEnvironmentPath) {
        pythonApiListener = api.environments.onDidChangeActiveEnvironmentPath(() => {
          if (!(vscode.workspace.getConfiguration('hotfixPolicy').get('python') || '').trim()) {
            restart('the Python extension selected another interpreter');
          }
        });
      }
      const active = api.environments.getActiveEnvironmentPath(resource);
      const resolved = await api.environments.resolveEnvironment(active);
      const executable = resolved && resolved.executable && resolved.executable.uri;
      if (executable) return executable.fsPath;
      if (active && active.path) return active.path;
    }
    if (api.settings && api.settings.getExecutionDetails) {
      const details = api.settings.getExecutionDetails(resource);
      if (details && details.execCommand && details.execCommand.length > 0) return details.execCommand[0];
    }
  } catch (error) {
    log(`The Python extension did not say which interpreter is selected: ${error && error.message ? error.message : error}`);
  }
  return undefined;
}

// -- telling the user ---------------------------------------------------------------------------

async function notifyFailure(message, installCommand) {
  shell.failed(message);
  const buttons = ['Open Instructions', 'Set Interpreter', 'Show Output'];
  if (installCommand) buttons.splice(1, 0, 'Copy Install Command');
  const choice = await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === 'Open Instructions') await showInstallInstructions();
  else if (choice === 'Copy Install Command') await vscode.env.clipboard.writeText(installCommand);
  else if (choice === 'Set Interpreter') await vscode.commands.executeCommand('workbench.action.openSettings', 'hotfixPolicy.python');
  else if (choice === 'Show Output') output.show(true);
}

async function showInstallInstructions() {
  const readme = vscode.Uri.joinPath(extensionContext.extensionUri, 'README.md');
  try {
    await vscode.commands.executeCommand('markdown.showPreview', readme);
  } catch (_) {
    await vscode.window.showTextDocument(readme);
  }
}

// -- New incident record ------------------------------------------------------------------------

/**
 * Opens an untitled incident record: the template of `policy new incident --snippet`, inserted
 * as a snippet whose tab stops are its placeholders (the server's one conversion of templates).
 */
async function newIncidentRecord() {
  const interpreter = await resolveInterpreter();
  let snippet;
  try {
    const run = policyExecutable(interpreter.command, ['new', 'incident', '--snippet'], firstWorkspaceFolder());
    snippet = await new Promise((resolve, reject) => {
      execFile(run.command, run.args, { ...run.options, timeout: PROBE_TIMEOUT_MS },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message} ${stderr}`)) : resolve(String(stdout))));
    });
  } catch (error) {
    log(`"policy new incident --snippet" failed: ${error.message}`);
    notifyFailure(`${CLIENT_NAME}: "policy new incident" did not run (${error.message.split('\n')[0]}). Is ${PACKAGE} installed for ${interpreter.command}?`,
      installCommandFor(interpreter.command));
    return;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: '' });
  const editor = await vscode.window.showTextDocument(document);
  await editor.insertSnippet(new vscode.SnippetString(snippet));
}

module.exports = { activate, deactivate };
