'use strict';
/**
 * The local SMTP peer for development and tests: an SMTP server (smtp-server) that accepts every
 * mail on loopback and keeps it under a folder, raw (`<id>.eml`) and parsed with mailparser
 * (`<id>.json`: addresses, subject, headers, text, HTML, attachments such as the .ics
 * invitations). File names start with the time of receipt, so they sort by it. `GET /dev/mail`
 * of the development server lists them; tests read them (libs/testing mailbox.ts).
 *
 * `refuse()` lets a test make the server answer like one that is unwell: return an SMTP code
 * (e.g. 451, try later; 550, never) to refuse the next mail, or null to accept it.
 */
const fs = require('node:fs');
const path = require('node:path');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

let sequence = 0;

/** The recipient as it appears in file names (readers can pick a recipient's mails without parsing every file). */
function addressTag(address) {
  return String(address || 'unknown')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '_')
    .slice(0, 60);
}

/** `<ms since epoch>-<sequence>-<first recipient>`: sorts by time of receipt. */
function mailId(recipient) {
  sequence = (sequence + 1) % 1_000_000;
  return `${Date.now()}-${String(sequence).padStart(6, '0')}-${addressTag(recipient)}`;
}

function headerValue(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(headerValue).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'text' in value) return value.text;
  if (typeof value === 'object' && 'value' in value) {
    const params = Object.entries(value.params || {}).map(([k, v]) => `; ${k}=${v}`);
    return `${value.value}${params.join('')}`;
  }
  return String(value);
}

async function keep(dir, raw, envelope) {
  const parsed = await simpleParser(raw);
  const id = mailId(envelope.rcptTo[0] && envelope.rcptTo[0].address);
  // Header lines as sent (unfolded), keyed in lower case: mailparser's structured values lose some (List-*).
  const headers = {};
  for (const { key, line } of parsed.headerLines) {
    headers[key] = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  const mail = {
    id,
    receivedAt: new Date().toISOString(),
    envelope: {
      from: envelope.mailFrom ? envelope.mailFrom.address : null,
      to: envelope.rcptTo.map((r) => r.address),
    },
    from: parsed.from ? parsed.from.text : '',
    to: parsed.to ? headerValue(parsed.to) : '',
    subject: parsed.subject || '',
    messageId: parsed.messageId || null,
    headers,
    text: parsed.text || null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    attachments: parsed.attachments.map((a) => {
      const text = a.contentType.startsWith('text/');
      return {
        filename: a.filename || null,
        contentType: a.contentType,
        method: a.contentType.startsWith('text/calendar')
          ? (/method=([A-Za-z]+)/i.exec(headerValue(a.headers.get('content-type'))) || [])[1] || null
          : null,
        encoding: text ? 'utf8' : 'base64',
        content: a.content.toString(text ? 'utf8' : 'base64'),
      };
    }),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.eml`), raw);
  // Written whole, then renamed: a reader never sees half a mail.
  const tmp = path.join(dir, `.${id}.json.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(mail, null, 2));
  fs.renameSync(tmp, path.join(dir, `${id}.json`));
  return mail;
}

/** An SMTP server that keeps what it receives under `dir`. `listen(port, host)` resolves with the port. */
function createMailCatcher({ dir, refuse = () => null, onMail = () => undefined }) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Take Sessions local mail catcher',
    size: 25 * 1024 * 1024,
    logger: false,
    // Stopping must not wait for pooled client connections to go idle (the default is 30 s).
    closeTimeout: 500,
    onMailFrom(_address, _session, callback) {
      const code = refuse();
      if (code) {
        const err = new Error(code >= 500 ? 'Mailbox unavailable (test refusal)' : 'Try again later (test refusal)');
        err.responseCode = code;
        return callback(err);
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        keep(dir, Buffer.concat(chunks), session.envelope).then(
          (mail) => {
            onMail(mail);
            callback(null, `Kept as ${mail.id}`);
          },
          (err) => callback(err),
        );
      });
    },
  });
  server.on('error', (err) => process.stderr.write(`[mail-catcher] ${err.message}\n`));
  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => resolve(server.server.address().port));
      });
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

module.exports = { createMailCatcher, addressTag };
