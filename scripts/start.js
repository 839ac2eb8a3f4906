#!/usr/bin/env node
'use strict';
/**
 * `npm start`. Outside production it brings up whatever backing service is not configured
 * (moto for DynamoDB/S3, MongoDB, Redis, the SMTP mail catcher) on loopback, lets the app create the table, bucket and
 * indexes and seed demo data, and stops the services again when the server exits.
 * With NODE_ENV=production it starts nothing: every endpoint comes from configuration.
 * The services and the app are recorded (.local/services/), so when this process is killed hard
 * the next `npm start` stops what it left running instead of failing on the ports.
 */
require('dotenv').config({ quiet: true });
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ROOT, isOneLine, portsFromEnv, recordProcess, upAll, stopService } = require('./lib/services');

async function main() {
  const production = process.env.NODE_ENV === 'production';
  let started = [];
  const env = { ...process.env };
  if (!production) {
    const res = await upAll({
      // Own process groups: Ctrl-C reaches the server, which drains while the services stay up.
      detached: true,
      unref: false,
      ports: portsFromEnv(env),
    });
    started = res.started;
    Object.assign(env, res.vars);
    env.NODE_ENV = env.NODE_ENV || 'development';
    env.BOOTSTRAP_RESOURCES = env.BOOTSTRAP_RESOURCES || 'true';
    env.SEED_DEMO_DATA = env.SEED_DEMO_DATA || 'true';
    for (const s of started) console.error(`[services] ${s.name} on ${s.url}`);
    if (res.vars.MAIL_CATCHER_DIR)
      console.error(`[services] mails are caught in ${res.vars.MAIL_CATCHER_DIR}; read them at /dev/mail`);
  }
  const main = production ? path.join(ROOT, 'dist', 'src', 'main.js') : path.join(ROOT, 'src', 'main.ts');
  const args = production ? [main] : ['-r', 'ts-node/register/transpile-only', main];
  const app = spawn(process.execPath, args, { stdio: 'inherit', env, cwd: ROOT });
  const appService = { pid: app.pid, child: app };
  if (!production)
    appService.record = recordProcess('app', app, { port: Number(env.PORT || 3000), commandIncludes: [main] });

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    await Promise.all([appService, ...started].map((s) => stopService(s)));
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => app.kill('SIGTERM'));
  app.on('exit', (code, signal) => stop(code ?? (signal ? 0 : 1)));
}

main().catch((err) => {
  console.error(isOneLine(err) ? err.message : `[start] ${err.stack || err.message}`);
  process.exit(1);
});
