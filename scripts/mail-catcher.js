#!/usr/bin/env node
'use strict';
/** `node scripts/mail-catcher.js HOST PORT DIR`: the local SMTP catcher as a process (scripts/lib/services.js starts it). */
const { createMailCatcher } = require('./lib/mail-catcher');

const [host = '127.0.0.1', port = '1025', dir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: mail-catcher.js HOST PORT DIR');
  process.exit(2);
}
const catcher = createMailCatcher({
  dir,
  onMail: (mail) => console.log(`[mail-catcher] ${mail.receivedAt} to ${mail.envelope.to.join(', ')}: ${mail.subject}`),
});
catcher.listen(Number(port), host).then(
  (bound) => console.log(`[mail-catcher] listening on ${host}:${bound}, keeping mail in ${dir}`),
  (err) => {
    console.error(`[mail-catcher] ${err.message}`);
    process.exit(1);
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => catcher.close().then(() => process.exit(0)));
