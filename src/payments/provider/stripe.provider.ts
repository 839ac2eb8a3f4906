import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { StoreUnavailableError } from '@app/common';
import { AppConfig } from '../../config/app-config';
import {
  InvalidWebhookSignatureError,
  PaymentProvider,
  ProviderEvent,
  ProviderPayment,
  ProviderRefund,
  ProviderRefusedError,
} from './payment-provider';

/** Seconds a webhook's signature timestamp may lag (Stripe's default). */
const WEBHOOK_TOLERANCE_S = 300;

/**
 * Stripe through the official client. STRIPE_API_BASE points it at localstripe (npm start, tests);
 * production leaves it unset. A network failure or a 5xx is StoreUnavailable (retried by the job or
 * consumer that called); a 4xx for the payment's state is ProviderRefused.
 */
@Injectable()
export class StripeProvider extends PaymentProvider {
  private readonly stripe: Stripe;

  constructor(private readonly config: AppConfig) {
    super();
    const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : undefined;
    this.stripe = new Stripe(config.stripeSecretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === 'https:' ? 443 : 80),
            protocol: base.protocol === 'https:' ? 'https' : 'http',
          }
        : {}),
    });
  }

  async createCustomer(userId: string, email: string | undefined): Promise<string> {
    const customer = await this.call(() =>
      this.stripe.customers.create(
        { ...(email ? { email } : {}), metadata: { userId } },
        { idempotencyKey: `customer-${userId}` },
      ),
    );
    return customer.id;
  }

  async createPayment(input: {
    paymentId: string;
    amountMinor: number;
    currency: string;
    customerId: string;
    manualCapture: boolean;
    description: string;
  }): Promise<ProviderPayment> {
    const intent = await this.call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          customer: input.customerId,
          capture_method: input.manualCapture ? 'manual' : 'automatic',
          metadata: { paymentId: input.paymentId },
        },
        { idempotencyKey: `create-${input.paymentId}` },
      ),
    );
    return toPayment(intent);
  }

  async retrieve(id: string): Promise<ProviderPayment> {
    return toPayment(await this.call(() => this.stripe.paymentIntents.retrieve(id)));
  }

  async capture(id: string, amountMinor: number, idempotencyKey: string): Promise<ProviderPayment> {
    const captured = toPayment(
      await this.call(() =>
        this.stripe.paymentIntents.capture(id, { amount_to_capture: amountMinor }, { idempotencyKey }),
      ),
    );
    // Stripe refuses to capture a cancelled payment (400); localstripe answers with the cancelled
    // payment instead. Either way nothing was captured: the caller gets the same refusal.
    if (captured.status !== 'succeeded')
      throw new ProviderRefusedError(
        `payment ${id} is ${captured.status}: nothing to capture`,
        'payment_intent_unexpected_state',
      );
    return captured;
  }

  async cancel(id: string, idempotencyKey: string): Promise<ProviderPayment> {
    return toPayment(await this.call(() => this.stripe.paymentIntents.cancel(id, {}, { idempotencyKey })));
  }

  async refund(id: string, amountMinor: number, idempotencyKey: string): Promise<ProviderRefund> {
    return toRefund(
      await this.call(() =>
        this.stripe.refunds.create({ payment_intent: id, amount: amountMinor }, { idempotencyKey }),
      ),
    );
  }

  async retrieveRefund(id: string): Promise<ProviderRefund> {
    return toRefund(await this.call(() => this.stripe.refunds.retrieve(id)));
  }

  parseWebhook(rawBody: Buffer, signature: string | undefined, nowMs: number): ProviderEvent {
    if (!signature) throw new InvalidWebhookSignatureError('missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.config.stripeWebhookSecret,
        WEBHOOK_TOLERANCE_S,
        undefined,
        nowMs,
      );
    } catch (err) {
      throw new InvalidWebhookSignatureError((err as Error).message);
    }
    const object = event.data.object as unknown as Record<string, unknown>;
    const objectType = object.object;
    const piOf = (value: unknown) =>
      typeof value === 'string'
        ? value
        : value && typeof value === 'object'
          ? ((value as { id?: string }).id ?? null)
          : null;
    return {
      id: event.id,
      type: event.type,
      paymentIntentId: objectType === 'payment_intent' ? (object.id as string) : piOf(object.payment_intent),
      refundId: objectType === 'refund' ? (object.id as string) : null,
    };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeAPIError)
        throw new StoreUnavailableError('stripe', err);
      if (err instanceof Stripe.errors.StripeError && (err.statusCode ?? 500) >= 500)
        throw new StoreUnavailableError('stripe', err);
      if (err instanceof Stripe.errors.StripeError) throw new ProviderRefusedError(err.message, err.code);
      throw err;
    }
  }
}

function toPayment(intent: Stripe.PaymentIntent): ProviderPayment {
  const received = (intent as { amount_received?: number }).amount_received;
  return {
    id: intent.id,
    status: intent.status,
    amountMinor: intent.amount,
    // localstripe does not report amount_received; a succeeded payment has received its amount then.
    receivedMinor: received ?? (intent.status === 'succeeded' ? intent.amount : 0),
    currency: intent.currency.toUpperCase(),
    clientSecret: intent.client_secret ?? null,
    paymentId: intent.metadata?.paymentId ?? null,
  };
}

function toRefund(refund: Stripe.Refund): ProviderRefund {
  return { id: refund.id, status: refund.status ?? 'pending', amountMinor: refund.amount };
}
