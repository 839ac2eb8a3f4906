import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { listCaughtMails, readCaughtMail } from './dev-mailbox';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * GET /dev/mail: what the local SMTP catcher received (npm start runs one and sets
 * MAIL_CATCHER_DIR), newest first, so every mail of the demo flows can be read in the browser.
 * Answers 404 in production and wherever no catcher folder is configured.
 */
@Controller('dev/mail')
export class DevMailController {
  constructor(private readonly config: AppConfig) {}

  private get dir(): string {
    if (this.config.production || !this.config.MAIL_CATCHER_DIR) throw new NotFoundException();
    return this.config.MAIL_CATCHER_DIR;
  }

  @Get()
  async list(@Res() res: FastifyReply): Promise<void> {
    const mails = await listCaughtMails(this.dir);
    const rows = mails
      .map(
        (m) =>
          `<tr><td>${escape(m.receivedAt)}</td><td>${escape(m.to)}</td><td><a href="/dev/mail/${m.id}">${escape(m.subject)}</a></td>` +
          `<td>${escape(m.headers['x-take-sessions-template'] ?? '')}</td>` +
          `<td><a href="/dev/mail/${m.id}/text">text</a>${m.attachments.some((a) => a.contentType.startsWith('text/calendar')) ? ` · <a href="/dev/mail/${m.id}/ics">.ics</a>` : ''}</td></tr>`,
      )
      .join('');
    await res
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html><head><meta charset="utf-8"><title>Caught mail</title></head>` +
          `<body style="font-family:Helvetica,Arial,sans-serif;margin:24px;"><h1>Caught mail (${mails.length})</h1>` +
          `<p>Everything the local SMTP catcher received, newest first (JSON: <a href="/dev/mail/messages.json">messages.json</a>).</p>` +
          `<table cellpadding="6" style="border-collapse:collapse;"><tr><th>received</th><th>to</th><th>subject</th><th>template</th><th></th></tr>${rows}</table></body></html>`,
      );
  }

  @Get('messages.json')
  async json(@Res() res: FastifyReply): Promise<void> {
    await res.send(await listCaughtMails(this.dir));
  }

  @Get(':id')
  async html(@Param('id') id: string, @Res() res: FastifyReply): Promise<void> {
    const mail = await this.mail(id);
    await res.type('text/html; charset=utf-8').send(mail.html ?? `<pre>${escape(mail.text ?? '')}</pre>`);
  }

  @Get(':id/text')
  async text(@Param('id') id: string, @Res() res: FastifyReply): Promise<void> {
    await res.type('text/plain; charset=utf-8').send((await this.mail(id)).text ?? '');
  }

  @Get(':id/ics')
  async ics(@Param('id') id: string, @Res() res: FastifyReply): Promise<void> {
    const ics = (await this.mail(id)).attachments.find((a) => a.contentType.startsWith('text/calendar'));
    if (!ics) throw new NotFoundException();
    await res
      .type('text/calendar; charset=utf-8')
      .send(ics.encoding === 'base64' ? Buffer.from(ics.content, 'base64') : ics.content);
  }

  private async mail(id: string) {
    const mail = await readCaughtMail(this.dir, id);
    if (!mail) throw new NotFoundException();
    return mail;
  }
}
