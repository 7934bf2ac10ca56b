// What the extension's shell says: the language status items, the rule quick pick and the
// summary of a workspace check, from what the server answers (hotfixPolicy/status,
// hotfixPolicy/rules, hotfixPolicy/checkWorkspace; see lsp/features/workspace_requests.py). No
// VS Code API here, so the unit tests load it; src/shell.js puts it on screen.
'use strict';

const SERVER_STATES = ['starting', 'running', 'stopped', 'failed'];

/**
 * The three language status items: the server (its state, the documents indexed, the last
 * workspace check), the configuration in force (its file or the built-in defaults, packs and
 * rules) and the clock (live, or pinned by the configuration). `status` is the server's last
 * status, undefined before it answered. Severities are names: information, warning, error.
 */
function statusItems(serverState, status, failure) {
  if (!SERVER_STATES.includes(serverState)) throw new Error(`unknown server state ${serverState}`);
  const server = {
    id: 'server', name: 'Hotfix Policy server', text: `Hotfix Policy: ${serverState}`, detail: '',
    severity: serverState === 'failed' ? 'error' : serverState === 'stopped' ? 'warning' : 'information',
    busy: serverState === 'starting', command: { title: 'Show Output', command: 'hotfixPolicy.showOutput' },
  };
  if (serverState === 'failed' && failure) server.detail = failure;
  if (serverState !== 'running' || !status) return [server];
  if (status.documents === null || status.documents === undefined) {
    server.text = 'Hotfix Policy: indexing';
    server.busy = true;
  } else {
    server.detail = [count(status.documents, 'document') + ' indexed', checkDetail(status.workspaceCheck)]
      .filter(Boolean).join(' · ');
  }
  const config = {
    id: 'config', name: 'Hotfix Policy configuration',
    text: status.config ? `Config: ${status.config}` : 'Config: built-in defaults',
    detail: [status.packs.length ? `packs: ${status.packs.join(', ')}` : 'no pack',
      status.policies.length ? `policies: ${status.policies.join(', ')}` : '',
      count(status.rules, 'rule'),
      status.configErrors ? count(status.configErrors, 'error') + ' (see Problems)' : ''].filter(Boolean).join(' · '),
    severity: status.configErrors ? 'warning' : 'information', busy: false,
    command: { title: 'List Rules', command: 'hotfixPolicy.listRules' },
  };
  const clock = {
    id: 'clock', name: 'Hotfix Policy clock',
    text: status.clockPinned ? `Clock pinned at ${status.clockPinned}` : status.testClock ? 'Clock: test clock' : 'Clock: live',
    detail: status.clockPinned ? 'by `clock:` in the configuration: nothing falls due'
      : 'time-aware rules are checked again as time passes',
    severity: status.clockPinned ? 'warning' : 'information', busy: false, command: undefined,
  };
  return [server, config, clock];
}

function count(number, noun) {
  return `${number} ${noun}${number === 1 ? '' : 's'}`;
}

/** "workspace check: 3 errors, 1 warning in 2 files", or "" when no check's results are shown. */
function checkDetail(summary) {
  if (!summary) return '';
  return `workspace check: ${problems(summary)}`;
}

function problems(summary) {
  const parts = [];
  if (summary.errors) parts.push(count(summary.errors, 'error'));
  if (summary.warnings) parts.push(count(summary.warnings, 'warning'));
  if (summary.others) parts.push(`${summary.others} other${summary.others === 1 ? '' : 's'}`);
  return parts.length ? `${parts.join(', ')} in ${count(summary.files, 'file')}` : 'no problems';
}

/** The message after "Check workspace". */
function checkSummary(summary) {
  return `Hotfix Policy: checked ${count(summary.documents, 'document')}: ${problems(summary)}.`;
}

/** Quick pick items for "List rules": the id, its severity and policy, its summary. */
function ruleItems(rules) {
  return rules.map((rule) => ({
    label: rule.id,
    description: [rule.severity, rule.policy || 'engine finding'].join(' · '),
    detail: rule.summary,
    rule,
  }));
}

/**
 * Where a rule's reference is: its page (`{url}`), else its place in its policy file
 * (`{location}`: a team's rule), else the page of every rule (`{url: reference}`).
 */
function ruleTarget(rule, reference) {
  if (rule && rule.url) return { url: rule.url };
  if (rule && rule.location) return { location: rule.location };
  return { url: reference };
}

/** The rule id a diagnostic of the server is about (its code), else undefined. */
function ruleOfDiagnostic(diagnostic) {
  if (!diagnostic || diagnostic.source !== 'hotfix-policy') return undefined;
  const code = diagnostic.code && typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return code ? String(code) : undefined;
}

module.exports = { SERVER_STATES, statusItems, checkSummary, ruleItems, ruleTarget, ruleOfDiagnostic };
