'use strict';
const fs = require('node:fs');
const { stopService } = require('../../../scripts/lib/services');

module.exports = async function globalTeardown() {
  const started = globalThis.__TAKE_SESSIONS_SERVICES__ || [];
  await Promise.all(started.map((s) => stopService(s)));
  for (const s of started) if (s.dir && s.dir.includes('mail-test')) fs.rmSync(s.dir, { recursive: true, force: true });
};
