// Runs before `vsce package` (vscode:prepublish): copies the repository's JSON Schemas for
// policy files and `.policy.yaml` into the extension, for `contributes.yamlValidation`.
// The copies are build output (git-ignored): edit the originals in the repository's schemas/.
'use strict';

const fs = require('fs');
const path = require('path');

const source = path.resolve(__dirname, '..', '..', '..', 'schemas');
const target = path.resolve(__dirname, '..', 'schemas');
const names = ['config.schema.json', 'policy.schema.json'];

fs.mkdirSync(target, { recursive: true });
for (const name of names) {
  const from = path.join(source, name);
  if (!fs.existsSync(from)) {
    console.error(`copy-schemas: ${from} is missing; run the package step from a checkout of the repository`);
    process.exit(1);
  }
  JSON.parse(fs.readFileSync(from, 'utf8')); // fail the build on a broken schema
  fs.copyFileSync(from, path.join(target, name));
  console.log(`copy-schemas: ${path.relative(process.cwd(), from)} -> ${path.relative(process.cwd(), path.join(target, name))}`);
}
