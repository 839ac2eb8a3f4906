'use strict';
/**
 * Jest global setup: starts the real local services (moto, MongoDB, Redis) on free loopback
 * ports unless the environment already provides them, and exports their addresses through
 * process.env to every test. Each test file then uses its own table, bucket and database.
 */
const { upAll } = require('../../../scripts/lib/services');

module.exports = async function globalSetup() {
  const { vars, started } = await upAll({ ports: { moto: 0, mongo: 0, redis: 0 } });
  Object.assign(process.env, vars);
  globalThis.__TAKE_SESSIONS_SERVICES__ = started;
};
