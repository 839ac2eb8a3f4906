'use strict';
const { stopService } = require('../../../scripts/lib/services');

module.exports = async function globalTeardown() {
  const started = globalThis.__TAKE_SESSIONS_SERVICES__ || [];
  await Promise.all(started.map((s) => stopService(s)));
};
