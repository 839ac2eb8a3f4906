#!/usr/bin/env node
'use strict';
/**
 * `npm run build` step after tsc: copies what the compiled server reads from disk at run time
 * (the mail templates and their catalogues) beside the compiled code in dist/.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ASSETS = ['src/notifications/templates'];

for (const dir of ASSETS) {
  const to = path.join(ROOT, 'dist', dir);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, dir), to, { recursive: true });
  console.log(`[build] copied ${dir} to dist/${dir}`);
}
