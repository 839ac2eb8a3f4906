#!/usr/bin/env node
'use strict';
/**
 * `npm run services:up` starts the local backing services in the background (what the environment
 * does not already provide) and prints the variables that point the app at them;
 * `npm run services:down` stops what `up` started. Both go by the records in .local/services/.
 */
const { isOneLine, portsFromEnv, stopLeftovers, upAll, stopService } = require('./lib/services');
const records = require('./lib/service-records');

/** Services of an earlier `up` that still run (they have no owner process). */
function persistentServices() {
  return records.readRecords().filter((r) => r.running && !r.owner);
}

async function up() {
  const running = persistentServices();
  if (running.length) {
    const list = running.map((r) => `${r.name} pid ${r.pid} port ${r.port}`).join(', ');
    console.error(`Services already started (${list}); run \`npm run services:down\` first.`);
    process.exit(1);
  }
  const { vars, started } = await upAll({ detached: true, persistent: true, ports: portsFromEnv() });
  for (const s of started) console.error(`[services] ${s.name} on ${s.url} (pid ${s.pid})`);
  for (const [k, v] of Object.entries(vars)) console.log(`${k}=${v}`);
}

async function down() {
  await stopLeftovers();
  const running = persistentServices();
  await Promise.all(running.map((r) => stopService(r)));
  console.error(
    running.length ? `[services] stopped ${running.map((r) => r.name).join(', ')}` : '[services] nothing to stop',
  );
}

const cmd = process.argv[2];
(cmd === 'up' ? up() : cmd === 'down' ? down() : Promise.reject(new Error('usage: services.js up|down'))).catch(
  (err) => {
    console.error(isOneLine(err) ? err.message : `[services] ${err.message}`);
    process.exit(1);
  },
);
