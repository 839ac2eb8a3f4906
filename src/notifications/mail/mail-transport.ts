import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { AppConfig } from '../../config/app-config';
import type { ComposedMail } from './mail-composer';

/** Why a send failed, as far as delivery is concerned. */
export type SendFailure = 'temporary' | 'permanent';

/**
 * SMTP through nodemailer with a connection pool (SMTP_URL, SMTP_MAX_CONNECTIONS). The server
 * does not depend on it to serve: an unreachable SMTP server fails the send, the mail stays
 * queued and is retried, and readiness is not affected.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter | null;

  constructor(config: AppConfig) {
    this.transporter = config.SMTP_URL
      ? createTransport({
          url: config.SMTP_URL,
          pool: true,
          maxConnections: config.SMTP_MAX_CONNECTIONS,
          // Fail fast when the server is away: the job retries with backoff.
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        } as SMTPPool.Options)
      : null;
    if (!this.transporter) this.logger.warn('SMTP_URL is not set: mails are queued and retried, none is sent');
  }

  /** Hands the mail to the SMTP server; returns its answer. Throws when it was not accepted. */
  async send(messageId: string, mail: ComposedMail, from: string): Promise<string> {
    if (!this.transporter) throw new Error('SMTP_URL is not set');
    const headers: Record<string, string> = { 'X-Take-Sessions-Template': mail.template };
    if (mail.unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${mail.unsubscribeUrl}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    const info = (await this.transporter.sendMail({
      from,
      to: { name: mail.to.name, address: mail.to.address },
      subject: mail.rendered.subject,
      text: mail.rendered.text,
      html: mail.rendered.html,
      // The same Message-ID for every attempt at one message, so receivers can spot a repeat.
      messageId: `<${createHash('sha256').update(messageId).digest('hex').slice(0, 32)}@takesessions>`,
      headers,
      ...(mail.calendar
        ? { icalEvent: { method: mail.calendar.method, filename: 'lesson.ics', content: mail.calendar.content } }
        : {}),
    })) as { response?: string };
    return info.response ?? 'accepted';
  }

  /**
   * A 5xx answer is the server's final no (a bad address, a policy); anything else (4xx, no
   * connection, a timeout) may pass later.
   */
  static failureOf(err: unknown): SendFailure {
    const code = (err as { responseCode?: number }).responseCode;
    return typeof code === 'number' && code >= 500 && code < 600 ? 'permanent' : 'temporary';
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
