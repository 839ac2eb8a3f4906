import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '@app/common';
import { AppConfig } from '../config/app-config';
import { OutboxConsumers } from '../events/outbox-consumers';
import { JobScheduler } from '../jobs/job-scheduler.service';
import { CreditExpiry } from './credit-expiry.service';
import { LessonBillingService } from './lesson-billing.service';
import { lessonPaymentId } from './payment.types';
import { PaymentSync } from './payment-sync.service';
import { PaymentsRepository } from './payments.repository';

export const CAPTURE_DEADLINE_JOB = 'payments.capture-deadline';
const HOUR_MS = 3_600_000;

/**
 * What follows a lesson change once it is committed, durably: the outbox consumer
 * `payments.follow-up` brings the provider in line (PaymentSync) and keeps the deadline job of a
 * confirmed lesson at its end + PAYMENT_CAPTURE_GRACE_HOURS; the jobs charge at that deadline and
 * expire credits (with a notice CREDIT_EXPIRY_NOTICE_DAYS before).
 */
@Injectable()
export class PaymentFollowUp implements OnModuleInit {
  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly scheduler: JobScheduler,
    private readonly payments: PaymentsRepository,
    private readonly billing: LessonBillingService,
    private readonly sync: PaymentSync,
    private readonly expiry: CreditExpiry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      'payments.follow-up',
      [
        'lesson.requested',
        'lesson.confirmed',
        'lesson.declined',
        'lesson.cancelled',
        'lesson.rescheduled',
        'lesson.expired',
        'lesson.completed',
        'lesson.no_show',
      ],
      // The payment is re-read: deliveries may repeat or arrive out of order.
      (event) => this.followLesson(event.payload.lessonId),
    );
    this.scheduler.registerHandler<{ paymentId: string }>({
      name: CAPTURE_DEADLINE_JOB,
      run: ({ paymentId }) => this.chargeAtDeadline(paymentId),
    });
    this.scheduler.registerPeriodic({
      name: 'payments.credit-expiry',
      everySeconds: 3600,
      run: (now) => this.expiry.sweep(now),
    });
  }

  async followLesson(lessonId: string): Promise<void> {
    const id = lessonPaymentId(lessonId);
    const payment = await this.sync.sync(id);
    if (!payment) return;
    if (payment.lessonStatus === 'CONFIRMED' && payment.lessonEnd) {
      const due = new Date(new Date(payment.lessonEnd).getTime() + this.config.PAYMENT_CAPTURE_GRACE_HOURS * HOUR_MS);
      await this.scheduler.schedule(CAPTURE_DEADLINE_JOB, { paymentId: id }, due, { key: id });
    } else if (payment.lessonStatus !== 'PENDING') {
      await this.scheduler.cancel(CAPTURE_DEADLINE_JOB, id);
    }
  }

  /** The teacher never marked the lesson: it is presumed held and charged in full. */
  async chargeAtDeadline(paymentId: string): Promise<void> {
    const payment = await this.payments.get(paymentId);
    if (!payment?.lessonEnd) return;
    const due = new Date(payment.lessonEnd).getTime() + this.config.PAYMENT_CAPTURE_GRACE_HOURS * HOUR_MS;
    if (this.clock.now().getTime() < due) return;
    const change = await this.billing.chargeAtDeadline(payment);
    if (change) await this.payments.write([this.payments.updatePart(payment, change.next), ...change.parts]);
    await this.sync.sync(paymentId);
  }
}
