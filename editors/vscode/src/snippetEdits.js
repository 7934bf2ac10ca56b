// Quick fixes that insert template text, applied as snippets: the cursor lands on the first
// placeholder and Tab moves to the next. The server sends a SnippetTextEdit (LSP 3.18) only to
// clients that declare `workspace.workspaceEdit.snippetEditSupport`; vscode-languageclient 9
// declares none (and would drop the snippet's text), so the server sends plain text and puts
// the snippets in the action's `data.snippetEdits`, which this turns into VS Code's own
// SnippetTextEdit. Takes the `vscode` API as an argument, so the unit tests run without VS Code.
'use strict';

/**
 * The actions, each one that carries `data.snippetEdits` given a workspace edit of snippets
 * instead of its plain text (its edits of other files kept; such actions create no files).
 */
function withSnippetEdits(actions, api) {
  if (!Array.isArray(actions) || typeof api.SnippetTextEdit !== 'function') return actions;
  for (const action of actions) {
    const carried = action && action.data && action.data.snippetEdits;
    if (!Array.isArray(carried) || carried.length === 0 || !action.edit) continue;
    const edit = new api.WorkspaceEdit();
    const targets = new Set(carried.map((each) => each.uri));
    for (const [uri, edits] of action.edit.entries()) {
      if (!targets.has(uri.toString())) edit.set(uri, edits);
    }
    const byUri = new Map();
    for (const each of carried) {
      const { start, end } = each.range;
      const range = new api.Range(start.line, start.character, end.line, end.character);
      if (!byUri.has(each.uri)) byUri.set(each.uri, []);
      byUri.get(each.uri).push(new api.SnippetTextEdit(range, new api.SnippetString(each.snippet)));
    }
    for (const [uri, edits] of byUri) edit.set(api.Uri.parse(uri), edits);
    action.edit = edit;
  }
  return actions;
}

module.exports = { withSnippetEdits };
