#!/usr/bin/env node
'use strict';
/**
 * `npm run bench [-- name ...]`: starts the local services on free loopback ports (unless the
 * environment already points at them), runs every bench/*.bench.ts (or those whose file name
 * contains one of the given names) one after the other in this process, prints a table per
 * benchmark, and stops the services it started. Never part of `npm test`.
 */
const fs = require('node:fs');
const path = require('node:path');
const { upAll, stopService, isOneLine } = require('../scripts/lib/services');

/** Every benchmark is bounded in count; this only catches a hang. A file may export a longer `timeoutMs`. */
const BENCH_TIMEOUT_MS = 5 * 60_000;

async function main() {
  const filters = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${filters.join(', ')}`);

  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  require('../src/module-aliases');
  require('reflect-metadata');

  process.stderr.write('[bench] starting local services ...\n');
  const { vars, started } = await upAll({ ports: { moto: 0, mongo: 0, redis: 0, speechmatics: 0 } });
  Object.assign(process.env, vars);
  let failed = false;
  try {
    console.log(
      `\nTake Sessions benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${require('node:os').cpus().length} CPU(s)`,
    );
    for (const file of files) {
      const t0 = Date.now();
      process.stderr.write(`[bench] ${file} ...\n`);
      try {
        const mod = require(path.join(__dirname, file));
        const bench = mod.default ?? mod;
        const result = await withTimeout(bench(), mod.timeoutMs ?? BENCH_TIMEOUT_MS, file);
        console.log(`\n${file} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        // A benchmark returns its rows (one table) or { tables: [{ title, rows }], notes, failed }.
        if (Array.isArray(result)) printTable(result);
        else {
          for (const table of result.tables) {
            console.log(`\n${table.title}`);
            printTable(table.rows);
          }
          for (const note of result.notes ?? []) console.log(note);
          // A benchmark with accuracy targets prints its tables and then fails (recordings).
          if (result.failed) {
            failed = true;
            console.error(`\n${file} FAILED: a target was missed (see above)`);
          }
        }
      } catch (err) {
        failed = true;
        console.error(`\n${file} FAILED: ${err && err.stack ? err.stack : err}`);
      }
    }
  } finally {
    await Promise.all(started.map((s) => stopService(s)));
  }
  return failed ? 1 : 0;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A plain-text table over the union of the rows' columns. */
function printTable(rows) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => (r[c] === undefined ? '' : String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (values) =>
    `| ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of cells) console.log(line(row));
}

main().then(
  // Exit explicitly: an SDK socket pool or a timer left by a failed benchmark must not keep us alive.
  (code) => process.exit(code),
  (err) => {
    console.error(isOneLine(err) ? err.message : `[bench] ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
