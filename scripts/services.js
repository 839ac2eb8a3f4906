#!/usr/bin/env node
'use strict';
/**
 * `npm run services:up` starts the local backing services in the background (what the environment
 * does not already provide) and prints the variables that point the app at them;
 * `npm run services:down` stops what `up` started.
 */
const fs = require('node:fs');
const path = require('node:path');
const { LOCAL, MissingPrerequisite, portsFromEnv, upAll, stopService } = require('./lib/services');

const STATE = path.join(LOCAL, 'run', 'services.json');

async function up() {
  if (fs.existsSync(STATE)) {
    console.error(`Services already started (${STATE}); run \`npm run services:down\` first.`);
    process.exit(1);
  }
  const { vars, started } = await upAll({ detached: true, ports: portsFromEnv() });
  fs.mkdirSync(path.dirname(STATE), { recursive: true });
  fs.writeFileSync(
    STATE,
    JSON.stringify({ vars, started: started.map(({ name, pid, port, url }) => ({ name, pid, port, url })) }, null, 2),
  );
  for (const s of started) console.error(`[services] ${s.name} on ${s.url} (pid ${s.pid})`);
  for (const [k, v] of Object.entries(vars)) console.log(`${k}=${v}`);
}

async function down() {
  if (!fs.existsSync(STATE)) return console.error('[services] nothing to stop');
  const { started } = JSON.parse(fs.readFileSync(STATE, 'utf8'));
  await Promise.all(started.map((s) => stopService(s)));
  fs.rmSync(STATE);
  console.error(`[services] stopped ${started.map((s) => s.name).join(', ') || 'nothing'}`);
}

const cmd = process.argv[2];
(cmd === 'up' ? up() : cmd === 'down' ? down() : Promise.reject(new Error('usage: services.js up|down'))).catch(
  (err) => {
    console.error(err instanceof MissingPrerequisite ? err.message : `[services] ${err.message}`);
    process.exit(1);
  },
);
