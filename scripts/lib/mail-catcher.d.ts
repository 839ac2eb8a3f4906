/** Types of mail-catcher.js for the TypeScript tests. */
export interface CatcherMail {
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
  attachments: Array<{
    filename: string | null;
    contentType: string;
    method: string | null;
    encoding: 'utf8' | 'base64';
    content: string;
  }>;
}

export function createMailCatcher(opts: {
  dir: string;
  refuse?: () => number | null;
  onMail?: (mail: CatcherMail) => void;
}): { listen(port?: number, host?: string): Promise<number>; close(): Promise<void> };

/** How a recipient address appears in the catcher's file names. */
export function addressTag(address: string): string;
