/**
 * The payment provider behind one port (Stripe in production and, through localstripe, locally).
 * Every call that changes something carries an idempotency key derived from our payment and the
 * operation, so a retried job or consumer never authorises, captures or refunds twice.
 */

/** The provider's view of one payment (a Stripe PaymentIntent). */
export interface ProviderPayment {
  id: string;
  /** requires_payment_method | requires_confirmation | requires_action | processing | requires_capture | canceled | succeeded */
  status: string;
  amountMinor: number;
  /** Captured so far (Stripe `amount_received`). */
  receivedMinor: number;
  currency: string;
  clientSecret: string | null;
  /** Our payment id, as given at creation. */
  paymentId: string | null;
}

export interface ProviderRefund {
  id: string;
  /** pending | succeeded | failed | canceled | requires_action */
  status: string;
  amountMinor: number;
}

/** A verified webhook event: what happened to which provider object. */
export interface ProviderEvent {
  id: string;
  type: string;
  /** The provider payment the event is about (directly or through its charge or refund). */
  paymentIntentId: string | null;
  refundId: string | null;
}

/** A webhook whose signature does not verify (or is too old): refused, nothing applied. */
export class InvalidWebhookSignatureError extends Error {}

/** The provider refused an operation for the state the payment is in (e.g. a capture after a release). */
export class ProviderRefusedError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export abstract class PaymentProvider {
  /** A customer for the user (idempotent by user). */
  abstract createCustomer(userId: string, email: string | undefined): Promise<string>;
  /** A payment for the client to confirm (its client secret); `manualCapture` holds the amount until captured. */
  abstract createPayment(input: {
    paymentId: string;
    amountMinor: number;
    currency: string;
    customerId: string;
    manualCapture: boolean;
    description: string;
  }): Promise<ProviderPayment>;
  abstract retrieve(providerPaymentId: string): Promise<ProviderPayment>;
  abstract capture(providerPaymentId: string, amountMinor: number, idempotencyKey: string): Promise<ProviderPayment>;
  abstract cancel(providerPaymentId: string, idempotencyKey: string): Promise<ProviderPayment>;
  abstract refund(providerPaymentId: string, amountMinor: number, idempotencyKey: string): Promise<ProviderRefund>;
  abstract retrieveRefund(refundId: string): Promise<ProviderRefund>;
  /** Verifies a webhook's signature against the raw body; `nowMs` judges its age. */
  abstract parseWebhook(rawBody: Buffer, signature: string | undefined, nowMs: number): ProviderEvent;
}
