// The texts of the extension's shell (src/shell-text.js): the language status items, the rule
// quick pick, where a rule's reference opens, the workspace check's summary.
// Run: node --test test/unit/
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { statusItems, checkSummary, ruleItems, ruleTarget, ruleOfDiagnostic } = require('../../src/shell-text');

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

// What `hotfixPolicy/status` answers (lsp/status.py) for a team's workspace.
const STATUS = {
  root: '/work/team', config: '.policy.yaml', configErrors: 0, packs: ['builtin:hotfix'], policies: ['policies'],
  rules: 31, documents: 42, clockPinned: null, testClock: false, workspaceCheck: null,
};

const byId = (items) => Object.fromEntries(items.map((item) => [item.id, item]));

test('a running server shows the documents indexed, the configuration in force and a live clock', () => {
  const items = byId(statusItems('running', STATUS));
  assert.equal(items.server.text, 'Hotfix Policy: running');
  assert.equal(items.server.detail, '42 documents indexed');
  assert.equal(items.server.busy, false);
  assert.equal(items.config.text, 'Config: .policy.yaml');
  assert.equal(items.config.detail, 'packs: builtin:hotfix · policies: policies · 31 rules');
  assert.equal(items.clock.text, 'Clock: live');
  assert.equal(items.clock.severity, 'information');
});

test('without a configuration file the built-in defaults are named', () => {
  const items = byId(statusItems('running', { ...STATUS, config: null, policies: [], documents: 1 }));
  assert.equal(items.config.text, 'Config: built-in defaults');
  assert.equal(items.config.detail, 'packs: builtin:hotfix · 31 rules');
  assert.equal(items.server.detail, '1 document indexed');
});

test('a pinned clock is said, as a warning: nothing falls due while it is pinned', () => {
  const items = byId(statusItems('running', { ...STATUS, clockPinned: '2026-11-20 14:37 UTC' }));
  assert.equal(items.clock.text, 'Clock pinned at 2026-11-20 14:37 UTC');
  assert.equal(items.clock.severity, 'warning');
  assert.equal(items.clock.detail, 'by `clock:` in the configuration: nothing falls due');
});

test('while indexing the item is busy; mistakes in the configuration warn', () => {
  const items = byId(statusItems('running', { ...STATUS, documents: null, configErrors: 2 }));
  assert.equal(items.server.text, 'Hotfix Policy: indexing');
  assert.equal(items.server.busy, true);
  assert.equal(items.config.severity, 'warning');
  assert.match(items.config.detail, /2 errors \(see Problems\)$/);
});

test('a server that is not running shows its state only; a failure says why', () => {
  assert.deepEqual(statusItems('starting', undefined).map((item) => [item.text, item.busy]), [['Hotfix Policy: starting', true]]);
  assert.equal(statusItems('stopped', STATUS).length, 1);
  const [failed] = statusItems('failed', STATUS, 'hotfix-policy is not installed for python3');
  assert.equal(failed.text, 'Hotfix Policy: failed');
  assert.equal(failed.severity, 'error');
  assert.equal(failed.detail, 'hotfix-policy is not installed for python3');
  assert.throws(() => statusItems('dozing', STATUS), /unknown server state dozing/);
});

test('the workspace check is summed up in the message and on the status item', () => {
  const summary = { documents: 42, files: 2, errors: 3, warnings: 1, others: 0 };
  assert.equal(checkSummary(summary), 'Hotfix Policy: checked 42 documents: 3 errors, 1 warning in 2 files.');
  assert.equal(checkSummary({ documents: 1, files: 0, errors: 0, warnings: 0, others: 0 }),
    'Hotfix Policy: checked 1 document: no problems.');
  const items = byId(statusItems('running', { ...STATUS, workspaceCheck: summary }));
  assert.equal(items.server.detail, '42 documents indexed · workspace check: 3 errors, 1 warning in 2 files');
});

// What `hotfixPolicy/rules` answers (lsp/features/workspace_requests.py).
const REFERENCE = 'https://github.com/hotfix-policy/hotfix-policy/blob/v0.1.0/docs/rules.md';
const PACK_RULE = { id: 'INC006', severity: 'warning', summary: 'A status update at least every 30 minutes.',
  policy: 'incident-record', url: `${REFERENCE}#inc006`, location: { uri: 'file:///pack/incident.yaml', range: {} } };
const TEAM_RULE = { id: 'T001', severity: 'error', summary: 'Severity is CRITICAL, HIGH or MEDIUM.', policy: 'mini',
  url: '', location: { uri: 'file:///team/policies/incident.yaml', range: { start: { line: 6, character: 6 } } } };
const ENGINE_RULE = { id: 'DOC002', severity: 'error', summary: 'Template text where a value is needed.', policy: null,
  url: `${REFERENCE}#doc002`, location: null };

test('the rule quick pick shows each id with its severity, policy and summary', () => {
  const items = ruleItems([PACK_RULE, ENGINE_RULE]);
  assert.deepEqual(items.map(({ label, description, detail }) => [label, description, detail]), [
    ['INC006', 'warning · incident-record', 'A status update at least every 30 minutes.'],
    ['DOC002', 'error · engine finding', 'Template text where a value is needed.'],
  ]);
  assert.equal(items[0].rule, PACK_RULE);
});

test('a rule opens at its reference page, a team rule at its policy, anything else at the page of every rule', () => {
  assert.deepEqual(ruleTarget(PACK_RULE, REFERENCE), { url: `${REFERENCE}#inc006` });
  assert.deepEqual(ruleTarget(TEAM_RULE, REFERENCE), { location: TEAM_RULE.location });
  assert.deepEqual(ruleTarget(undefined, REFERENCE), { url: REFERENCE });
});

test('the rule at the cursor is the code of the server\'s diagnostic there', () => {
  assert.equal(ruleOfDiagnostic({ source: 'hotfix-policy', code: { value: 'INC013', target: {} } }), 'INC013');
  assert.equal(ruleOfDiagnostic({ source: 'hotfix-policy', code: 'PR006' }), 'PR006');
  assert.equal(ruleOfDiagnostic({ source: 'markdownlint', code: 'MD041' }), undefined);
  assert.equal(ruleOfDiagnostic(undefined), undefined);
});

test('the shell\'s commands and setting are contributed where users look for them', () => {
  const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
  assert.equal(titles['hotfixPolicy.checkWorkspace'], 'Hotfix Policy: Check workspace');
  assert.equal(titles['hotfixPolicy.clearWorkspaceCheck'], 'Hotfix Policy: Clear workspace check results');
  assert.equal(titles['hotfixPolicy.listRules'], 'Hotfix Policy: List rules');
  assert.equal(titles['hotfixPolicy.openRuleReference'], 'Hotfix Policy: Open rule reference');
  const properties = manifest.contributes.configuration.properties;
  assert.equal(properties['hotfixPolicy.checkWorkspaceOnStart'].default, false, 'checking the whole workspace is opt-in');
  for (const [name, setting] of Object.entries(properties)) {
    assert.ok(setting.markdownDescription, `${name} has a markdownDescription`);
    assert.equal(typeof setting.order, 'number', `${name} has an order in the Settings UI`);
    if (setting.enum) assert.equal(setting.enumDescriptions.length, setting.enum.length, `${name} describes each value`);
  }
});
