import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Clock } from '@app/common';
import { AppConfig } from '../../config/app-config';
import { JobScheduler } from '../../jobs/job-scheduler.service';
import { MailComposer } from './mail-composer';
import type { MailData } from './mail-data';
import { MailAlreadyQueued, MailMessage, MailMessagesRepository } from './mail-messages.repository';
import { MailMetrics } from './mail-metrics';
import type { MailTemplate } from './mail-templates';
import { MailTransport } from './mail-transport';

export const DELIVER_MAIL_JOB = 'notifications.deliver-mail';
/** Sent and failed messages are remembered this long, so a late repeat of their event sends nothing. */
const KEEP_SECONDS = 30 * 86_400;

/**
 * Outgoing mail, exactly once per message id as far as this side can make it:
 *   - `enqueue` writes the message (QUEUED) and its delivery job (keyed by the message id) in
 *     one transaction, only if the id is new, so repeated deliveries of an event queue nothing;
 *   - the job runs once across instances (a lease), claims the message QUEUED → SENDING before
 *     talking to the SMTP server and marks it SENT after: a message is handed over at most once;
 *   - a failure that certainly delivered nothing (no connection, a 4xx) puts it back to QUEUED and
 *     the job retries with backoff; a 5xx, or MAIL_MAX_ATTEMPTS failures, end it as FAILED.
 */
@Injectable()
export class MailQueue implements OnModuleInit {
  private readonly logger = new Logger(MailQueue.name);

  constructor(
    private readonly config: AppConfig,
    private readonly messages: MailMessagesRepository,
    private readonly scheduler: JobScheduler,
    private readonly composer: MailComposer,
    private readonly transport: MailTransport,
    private readonly metrics: MailMetrics,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.registerHandler<{ messageId: string }>({
      name: DELIVER_MAIL_JOB,
      leaseSeconds: 120,
      // The message counts its own attempts and settles itself; the job only retries.
      maxAttempts: this.config.MAIL_MAX_ATTEMPTS + 1,
      run: ({ messageId }) => this.deliver(messageId),
    });
  }

  /** Queues a mail unless this message id was queued before; false when it was. */
  async enqueue(messageId: string, template: MailTemplate, recipientId: string, data: MailData): Promise<boolean> {
    const now = this.clock.now();
    const message: MailMessage = {
      messageId,
      template,
      recipientId,
      data,
      status: 'QUEUED',
      attempts: 0,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
    };
    const job = this.scheduler.schedulePart(DELIVER_MAIL_JOB, { messageId }, now, messageId);
    try {
      await this.messages.create(message, [job.part]);
    } catch (err) {
      if (err instanceof MailAlreadyQueued) return false;
      throw err;
    }
    this.metrics.queued.inc({ template });
    this.scheduler.kick(job.id);
    return true;
  }

  /** One attempt (the delivery job). Throws to have the job retry. */
  async deliver(messageId: string): Promise<void> {
    const message = await this.messages.get(messageId);
    if (!message) return;
    const { template } = message;
    const at = () => this.clock.now().toISOString();
    if (message.status === 'SENDING') {
      // An attempt died between claiming and settling (a crash, a lease that ran out): the SMTP
      // server may have the mail. At most once: it is not sent again.
      if (await this.messages.settle(messageId, 'SENDING', 'UNCERTAIN', { at: at(), attempts: message.attempts + 1 }))
        this.metrics.failed.inc({ template, reason: 'uncertain' });
      return;
    }
    if (message.status !== 'QUEUED' || !(await this.messages.claim(messageId, at()))) return;

    let mail;
    try {
      const prepared = await this.composer.prepare(template, message.recipientId, message.data);
      if (!prepared) {
        await this.messages.settle(messageId, 'SENDING', 'SKIPPED', { at: at(), attempts: message.attempts });
        return;
      }
      mail = this.composer.render(prepared);
    } catch (err) {
      // A store that is away: try later. (A template error fails every attempt and ends as FAILED.)
      await this.failed(message, err, 'render');
      return;
    }
    try {
      const response = await this.transport.send(messageId, mail, this.config.MAIL_FROM);
      await this.messages.settle(messageId, 'SENDING', 'SENT', { at: at(), attempts: message.attempts + 1 });
      this.metrics.sent.inc({ template });
      this.logger.log(`mail ${template} ${messageId} sent: ${response}`);
    } catch (err) {
      await this.failed(message, err, MailTransport.failureOf(err) === 'permanent' ? 'refused' : 'attempts');
    }
  }

  /** Back to QUEUED and throw (the job retries), or FAILED for good. */
  private async failed(message: MailMessage, err: unknown, reason: 'render' | 'refused' | 'attempts'): Promise<void> {
    const attempts = message.attempts + 1;
    const error = (err as Error).message ?? String(err);
    const final = reason === 'refused' || attempts >= this.config.MAIL_MAX_ATTEMPTS;
    if (final) {
      await this.messages.settle(message.messageId, 'SENDING', 'FAILED', {
        at: this.clock.now().toISOString(),
        attempts,
        error,
      });
      this.metrics.failed.inc({ template: message.template, reason });
      this.logger.error(`mail ${message.template} ${message.messageId} failed after ${attempts} attempt(s): ${error}`);
      return;
    }
    await this.messages.release(message.messageId, attempts, error);
    this.metrics.retries.inc({ template: message.template });
    throw err instanceof Error ? err : new Error(error);
  }

  /** The stored state of a message (tests and diagnostics). */
  find(messageId: string): Promise<MailMessage | null> {
    return this.messages.get(messageId);
  }
}
