// How the extension adjusts what the language client asks the server (no VS Code API needed,
// so the unit tests load it).
'use strict';

const middleware = {
  // VS Code's own Markdown outline lists a record's headings; the server's outline of Markdown
  // (for editors without one, such as Neovim) would list them a second time. Policy YAML keeps
  // the server's outline of variables and rules.
  provideDocumentSymbols: (document, token, next) =>
    (document.languageId === 'markdown' ? [] : next(document, token)),
};

module.exports = { middleware };
