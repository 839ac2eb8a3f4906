import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A mail as the local SMTP catcher (scripts/lib/mail-catcher.js) keeps it: one JSON file per mail. */
export interface CaughtMail {
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string;
  subject: string;
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
  attachments: Array<{ filename: string | null; contentType: string; content: string; encoding: 'utf8' | 'base64' }>;
}

const ID = /^[0-9A-Za-z_-]{1,100}$/;

/** Reads the catcher's folder, newest first (file names start with the time of receipt). */
export async function listCaughtMails(dir: string, limit = 200): Promise<CaughtMail[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  files.sort().reverse();
  const mails = await Promise.all(
    files.slice(0, limit).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as CaughtMail),
  );
  return mails;
}

export async function readCaughtMail(dir: string, id: string): Promise<CaughtMail | null> {
  if (!ID.test(id)) return null;
  try {
    return JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as CaughtMail;
  } catch {
    return null;
  }
}
