// The middleware that applies a quick fix's template text as a snippet (data.snippetEdits), with
// a stand-in for the few VS Code classes it uses.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { withSnippetEdits } = require('../../src/snippetEdits');

class Uri {
  constructor(value) { this.value = value; }
  static parse(value) { return new Uri(value); }
  toString() { return this.value; }
}
class Range { constructor(...numbers) { this.numbers = numbers; } }
class SnippetString { constructor(value) { this.value = value; } }
class SnippetTextEdit { constructor(range, snippet) { this.range = range; this.snippet = snippet; } }
class WorkspaceEdit {
  constructor(entries = []) { this.map = new Map(entries); }
  set(uri, edits) { this.map.set(uri.toString(), edits); }
  entries() { return [...this.map].map(([uri, edits]) => [Uri.parse(uri), edits]); }
}
const api = { Uri, Range, SnippetString, SnippetTextEdit, WorkspaceEdit };
const record = 'file:///ws/incidents/INC-7.md';

test('an action carrying snippetEdits gets them as snippet edits instead of its plain text', () => {
  const action = {
    title: 'Insert `ETA:`',
    edit: new WorkspaceEdit([[record, [{ newText: '\nETA: [Initial estimate]' }]]]),
    data: { snippetEdits: [{ uri: record, range: { start: { line: 4, character: 21 }, end: { line: 4, character: 21 } },
      snippet: '\nETA: ${1:[Initial estimate]}' }] },
  };
  const plain = { title: 'Open rule T001', edit: new WorkspaceEdit([[record, [{ newText: 'x' }]]]) };
  const [fixed, other] = withSnippetEdits([action, plain], api);
  const [[uri, [edit]]] = fixed.edit.entries();
  assert.equal(uri.toString(), record);
  assert.ok(edit instanceof SnippetTextEdit);
  assert.deepEqual(edit.range.numbers, [4, 21, 4, 21]);
  assert.equal(edit.snippet.value, '\nETA: ${1:[Initial estimate]}');
  assert.equal(other, plain);
  assert.deepEqual(other.edit.entries()[0][1], [{ newText: 'x' }]);
});

test('a VS Code without SnippetTextEdit keeps the plain text', () => {
  const action = { edit: new WorkspaceEdit([[record, [{ newText: 'plain' }]]]),
    data: { snippetEdits: [{ uri: record, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, snippet: '${1:x}' }] } };
  const [kept] = withSnippetEdits([action], { ...api, SnippetTextEdit: undefined });
  assert.deepEqual(kept.edit.entries()[0][1], [{ newText: 'plain' }]);
  assert.equal(withSnippetEdits(undefined, api), undefined);
});
