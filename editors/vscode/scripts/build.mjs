// Bundles the extension (and, with --tests, the test files) with esbuild.
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const tests = process.argv.includes('--tests');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', logLevel: 'warning' };

if (tests) {
  // Each test file becomes its own script so `node --test` reports them separately.
  const entryPoints = [];
  for (const dir of ['unit', 'protocol']) {
    for (const f of readdirSync(join('test', dir))) {
      if (f.endsWith('.test.ts')) entryPoints.push(join('test', dir, f));
    }
  }
  await esbuild.build({ ...common, entryPoints, outdir: 'out/test', outbase: 'test', sourcemap: 'inline' });
} else {
  await esbuild.build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'out/extension.js',
    // VS Code provides `vscode` at run time; everything else is bundled so the .vsix needs no node_modules.
    external: ['vscode'],
    minify: true,
    sourcemap: false,
  });
}
