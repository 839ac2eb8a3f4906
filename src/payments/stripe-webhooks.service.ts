import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common';
import { PaymentSync } from './payment-sync.service';
import { PaymentsRepository } from './payments.repository';
import { PaymentProvider, ProviderEvent } from './provider/payment-provider';

const KEEP_EVENT_SECONDS = 30 * 86_400;

/**
 * Webhooks reconcile, they do not dictate: a verified event names a provider payment, and PaymentSync
 * brings our payment and ledger in line with the provider's current state of it. A replayed event is
 * recognised by its id and skipped; an event arriving out of order finds the later state already
 * applied (or applies it), so every delivery order gives the same ledger.
 */
@Injectable()
export class StripeWebhooks {
  private readonly logger = new Logger(StripeWebhooks.name);

  constructor(
    private readonly provider: PaymentProvider,
    private readonly payments: PaymentsRepository,
    private readonly sync: PaymentSync,
    private readonly clock: Clock,
  ) {}

  /** Throws InvalidWebhookSignatureError for a bad signature; nothing is read or written then. */
  async receive(rawBody: Buffer, signature: string | undefined): Promise<{ applied: boolean }> {
    const event = this.provider.parseWebhook(rawBody, signature, this.clock.now().getTime());
    if (await this.payments.webhookEventSeen(event.id)) return { applied: false };
    const paymentId = await this.paymentOf(event);
    if (paymentId) await this.sync.sync(paymentId);
    else this.logger.debug(`webhook ${event.type} ${event.id} names no payment of ours`);
    const expiresAt = Math.floor(this.clock.now().getTime() / 1000) + KEEP_EVENT_SECONDS;
    await this.payments.write([this.payments.webhookEventPart(event.id, expiresAt)]).catch(() => undefined);
    return { applied: !!paymentId };
  }

  private async paymentOf(event: ProviderEvent): Promise<string | null> {
    if (!event.paymentIntentId) return null;
    return this.payments.paymentIdOf(event.paymentIntentId);
  }
}
