#!/usr/bin/env node
'use strict';
/**
 * `npm run build` step after tsc: copies what the compiled server reads from disk at run time
 * (the mail templates and their catalogues) beside the compiled code: in dist/, or the output
 * directory given as the first argument (the overhead benchmark's build).
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ASSETS = ['src/notifications/templates'];
const OUT = path.resolve(ROOT, process.argv[2] ?? 'dist');

for (const dir of ASSETS) {
  const to = path.join(OUT, dir);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, dir), to, { recursive: true });
  console.log(`[build] copied ${dir} to ${path.relative(ROOT, to)}`);
}
