'use strict';
/**
 * Jest global setup: starts the real local services (moto, MongoDB, Redis, localstripe) on free loopback
 * ports unless the environment already provides them, and exports their addresses through
 * process.env to every test. Each test file then uses its own table, bucket and database.
 * A local SMTP catcher keeps what the test servers mail under .local/mail-test/<pid>
 * (MAIL_CATCHER_DIR; libs/testing mailbox.ts reads it), removed at the end of the run.
 * The tests need Redis (cross-instance pub/sub and rate limits): without REDIS_URL or
 * redis-server the run stops at once with one line naming what to install.
 */
const path = require('node:path');
const { isOneLine, LOCAL, upAll } = require('../../../scripts/lib/services');

module.exports = async function globalSetup() {
  try {
    const { vars, started } = await upAll({
      ports: { moto: 0, mongo: 0, redis: 0, stripe: 0, smtp: 0, speechmatics: 0 },
      requireRedis: true,
      fixtures: true,
      mailDir: path.join(LOCAL, 'mail-test', String(process.pid)),
    });
    Object.assign(process.env, vars);
    globalThis.__TAKE_SESSIONS_SERVICES__ = started;
  } catch (err) {
    // Jest prints a failed global setup's stack; for these the message is the whole story.
    if (isOneLine(err)) err.stack = err.message;
    throw err;
  }
};
