// How the extension adjusts what the language client asks the server (the VS Code API only
// inside a handler, so the unit tests load it).
'use strict';

const { withSnippetEdits } = require('./snippetEdits');
// Server commands (of the server's code lenses) that the extension answers itself with VS Code's
// own UI, by command id (src/testing.js fills it); the others go to the server.
const clientCommands = new Map();

const middleware = {
  // VS Code's own Markdown outline lists a record's headings; the server's outline of Markdown
  // (for editors without one, such as Neovim) would list them a second time. Policy YAML keeps
  // the server's outline of variables and rules.
  provideDocumentSymbols: (document, token, next) =>
    (document.languageId === 'markdown' ? [] : next(document, token)),
  // Template text in a quick fix goes in as a snippet with tab stops (see snippetEdits.js).
  provideCodeActions: async (document, range, context, token, next) =>
    withSnippetEdits(await next(document, range, context, token), require('vscode')),
  executeCommand: (command, args, next) => {
    const handler = clientCommands.get(command);
    return handler ? handler(...args) : next(command, args);
  },
};

module.exports = { middleware, clientCommands };
