import ICAL from 'ical.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addressTag, type CatcherMail } from '../../../scripts/lib/mail-catcher';

export type CaughtMail = CatcherMail;

/** The folder the jest run's SMTP catcher writes to (set by the global setup). */
export function mailDir(): string {
  const dir = process.env.MAIL_CATCHER_DIR;
  if (!dir)
    throw new Error('MAIL_CATCHER_DIR is not set; run the tests through jest (its global setup starts the catcher)');
  return dir;
}

/** Every mail caught for `address` so far, oldest first. */
export function mailsTo(address: string, dir = mailDir()): CaughtMail[] {
  const tag = addressTag(address);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(`-${tag}.json`));
  } catch {
    return [];
  }
  return files
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CaughtMail)
    .filter((m) => m.envelope.to.includes(address.toLowerCase()));
}

/**
 * Waits (polling, bounded) until `address` has `count` mails matching `match`, and returns them.
 * Mail leaves the server after the request that caused it, through the outbox and a job.
 */
export async function waitForMails(
  address: string,
  match: (mail: CaughtMail) => boolean = () => true,
  count = 1,
  { timeoutMs = 30_000, dir }: { timeoutMs?: number; dir?: string } = {},
): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailsTo(address, dir).filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) {
      const seen = mailsTo(address, dir).map((m) => `${m.headers['x-take-sessions-template']}: ${m.subject}`);
      throw new Error(
        `expected ${count} matching mail(s) to ${address} within ${timeoutMs} ms; got: ${JSON.stringify(seen)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The template a mail was made from (the X-Take-Sessions-Template header). */
export const templateOf = (mail: CaughtMail) => mail.headers['x-take-sessions-template'];

export const withTemplate = (template: string) => (mail: CaughtMail) => templateOf(mail) === template;

/** The token of a link `…/<path>?token=…` in the plain-text part of a mail. */
export function tokenFrom(mail: CaughtMail, path: string): string {
  const m = new RegExp(`/${path}\\?token=([^\\s&>]+)`).exec(mail.text ?? '');
  if (!m) throw new Error(`no ${path} link in mail "${mail.subject}"`);
  return decodeURIComponent(m[1]);
}

/** The iCalendar invitation of a mail, parsed with ical.js as a calendar client would. */
export function invitationOf(mail: CaughtMail) {
  const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!part) return null;
  const text = part.encoding === 'base64' ? Buffer.from(part.content, 'base64').toString('utf8') : part.content;
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) {
    const zone = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(zone); // each invitation's own rules
  }
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: calendar.getFirstPropertyValue('method') as string,
    partMethod: part.method,
    uid: event.uid,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue('status') as string,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    timeZone: event.startDate.zone?.tzid ?? null,
    localStart: event.startDate.toString(),
    summary: event.summary,
    text,
  };
}
