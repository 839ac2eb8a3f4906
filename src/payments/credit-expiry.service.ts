import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common';
import { AppConfig } from '../config/app-config';
import { DomainEvents } from '../events/domain-events.service';
import { CreditLotsRepository } from './credit-lots.repository';
import { Accounts } from './ledger/accounts';
import { LedgerRepository } from './ledger/ledger.repository';
import { LessonBillingService } from './lesson-billing.service';
import { creditValue } from './money';
import { CreditLot } from './payment.types';
import { PaymentChangedError, PaymentsRepository } from './payments.repository';

const DAY_MS = 86_400_000;
const BATCH = 50;

/**
 * Unused credits expire at their lot's expiry (their value goes to the teacher, less the platform
 * fee); CREDIT_EXPIRY_NOTICE_DAYS before, the event `credits.expiring` is written with the lot's
 * notice mark, once per lot (notifications deliver it; see README "Money flow").
 */
@Injectable()
export class CreditExpiry {
  private readonly logger = new Logger(CreditExpiry.name);

  constructor(
    private readonly lots: CreditLotsRepository,
    private readonly ledger: LedgerRepository,
    private readonly payments: PaymentsRepository,
    private readonly billing: LessonBillingService,
    private readonly events: DomainEvents,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Notices and expiries due at `now`; returns how many lots were handled. */
  async sweep(now = this.clock.now()): Promise<number> {
    const horizon = new Date(now.getTime() + this.config.CREDIT_EXPIRY_NOTICE_DAYS * DAY_MS).toISOString();
    const lots = await this.lots.expiringBy(horizon, BATCH);
    let handled = 0;
    for (const lot of lots) {
      try {
        if (await this.handle(lot, now)) handled++;
      } catch (err) {
        if (!(err instanceof PaymentChangedError)) throw err;
        this.logger.debug(`lot ${lot.id} changed meanwhile; next sweep`);
      }
    }
    return handled;
  }

  private async handle(lot: CreditLot, now: Date): Promise<boolean> {
    const available = await this.ledger.balance(Accounts.creditsAvailable(lot.id, lot.studentId).id);
    const at = now.toISOString();
    if (new Date(lot.expiresAt) <= now) {
      const next: CreditLot = {
        ...lot,
        expiredAt: at,
        settledCredits: lot.settledCredits + available,
        version: lot.version + 1,
      };
      const parts = [this.lots.updatePart(lot, next)];
      if (available > 0) {
        const value = creditValue(lot.priceMinor, lot.credits, lot.settledCredits, available);
        parts.push(...this.ledger.parts(this.billing.postings.creditsExpired(lot, available, value, at)));
      }
      await this.payments.write(parts);
      return true;
    }
    if (lot.expiryNoticeAt || available === 0) return false;
    const event = this.events.record('credits.expiring', {
      lotId: lot.id,
      studentId: lot.studentId,
      teacherId: lot.teacherId,
      credits: available,
      expiresAt: lot.expiresAt,
    });
    await this.payments.write([
      this.lots.updatePart(lot, { ...lot, expiryNoticeAt: at, version: lot.version + 1 }),
      ...event.parts,
    ]);
    this.events.publish(event);
    return true;
  }
}
