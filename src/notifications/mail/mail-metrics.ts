import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsService } from '../../observability/metrics.service';

/** mail_queued_total, mail_sent_total, mail_failed_total and mail_retries_total, by template. */
@Injectable()
export class MailMetrics {
  readonly queued: Counter<'template'>;
  readonly sent: Counter<'template'>;
  readonly failed: Counter<'template' | 'reason'>;
  readonly retries: Counter<'template'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.queued = new Counter({
      name: 'mail_queued_total',
      help: 'Mails queued for sending, by template',
      labelNames: ['template'] as const,
      registers,
    });
    this.sent = new Counter({
      name: 'mail_sent_total',
      help: 'Mails accepted by the SMTP server, by template',
      labelNames: ['template'] as const,
      registers,
    });
    this.failed = new Counter({
      name: 'mail_failed_total',
      help: 'Mails given up on, by template and reason (refused, attempts, uncertain, render)',
      labelNames: ['template', 'reason'] as const,
      registers,
    });
    this.retries = new Counter({
      name: 'mail_retries_total',
      help: 'Failed attempts that will be retried, by template',
      labelNames: ['template'] as const,
      registers,
    });
  }
}
