import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '@app/common';
import { LateCancellationRule, PaymentKind, PaymentMethod, PaymentState } from '../payment.types';

@ObjectType({ description: 'An amount of money: integer minor units of an ISO 4217 currency.' })
export class Money {
  @Field(() => Int, { description: 'Integer minor units (cents) of the currency.' })
  amountMinor: number;

  @Field({ description: 'ISO 4217 code.' })
  currency: string;
}

@ObjectType()
export class RefundModel {
  @Field(() => ID)
  id: string;
  @Field(() => Money)
  amount: Money;
  @Field()
  reason: string;
  @Field({ description: 'DUE: promised and on its way to the provider; SENT: refunded to the card.' })
  status: string;
  @Field(() => Date)
  at: Date;
}

@ObjectType('Payment', { description: 'A lesson paid per lesson or with a credit, or a package purchase.' })
export class PaymentModel {
  @Field(() => ID)
  id: string;
  @Field(() => PaymentKind)
  kind: PaymentKind;
  @Field(() => PaymentMethod)
  method: PaymentMethod;
  @Field(() => PaymentState)
  state: PaymentState;
  @Field(() => ID)
  studentId: string;
  @Field(() => ID)
  teacherId: string;
  @Field(() => Money, { description: "The lesson's price (a credit's value for a credit lesson), or the package's." })
  amount: Money;
  @Field(() => Money, { description: 'What the lesson terms charged: the price, a late fee, or nothing yet.' })
  charged: Money;
  @Field(() => Money, { description: 'Captured at the card provider.' })
  captured: Money;
  @Field(() => Money, { description: 'Sent back to the card.' })
  refunded: Money;
  @Field(() => [RefundModel])
  refunds: RefundModel[];
  @Field(() => Int, {
    nullable: true,
    description: 'The percent of the price the terms charged (100, or the late fee).',
  })
  feePercent?: number;
  @Field(() => ID, { nullable: true })
  lessonId?: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Credit lessons: the lot the credit came from; packages: the lot bought.',
  })
  creditId?: string;
  @Field(() => String, {
    nullable: true,
    description:
      'For the payer only, while the card is still to be confirmed: the Stripe PaymentIntent client secret for Stripe.js (confirmCardPayment, SCA-ready).',
  })
  clientSecret?: string | null;
  @Field()
  description: string;
  @Field(() => Date)
  createdAt: Date;
  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType()
export class PaymentConnection extends Paginated(PaymentModel) {}

@ObjectType('LessonPackage', { description: 'Credits for lessons of one offering, sold by a teacher.' })
export class LessonPackageModel {
  @Field(() => ID)
  id: string;
  @Field(() => ID)
  teacherId: string;
  @Field()
  name: string;
  @Field(() => Int)
  durationMinutes: number;
  @Field(() => Int)
  credits: number;
  @Field(() => Money)
  price: Money;
  @Field(() => Int, { description: 'Discount against the same lessons bought one by one, percent (rounded down).' })
  discountPercent: number;
  @Field(() => Int, { description: 'Credits expire this many months after the purchase.' })
  validityMonths: number;
  @Field(() => LateCancellationRule)
  lateCancellation: LateCancellationRule;
  @Field()
  active: boolean;
}

@ObjectType('CreditLot', { description: 'The credits of one package purchase, and where each one is.' })
export class CreditLotModel {
  @Field(() => ID, { description: 'Pass as requestLesson(input: { creditId }) to book with a credit.' })
  id: string;
  @Field(() => ID)
  teacherId: string;
  @Field(() => ID)
  packageId: string;
  @Field(() => Int)
  durationMinutes: number;
  @Field(() => Int)
  credits: number;
  @Field(() => Int)
  available: number;
  @Field(() => Int, { description: 'Held by booked lessons that have not taken place.' })
  reserved: number;
  @Field(() => Int)
  used: number;
  @Field(() => Int)
  expired: number;
  @Field(() => Int)
  refunded: number;
  @Field(() => Date)
  expiresAt: Date;
  @Field({ description: 'Unused credits expire within CREDIT_EXPIRY_NOTICE_DAYS.' })
  expiringSoon: boolean;
}

@ObjectType('EarningsReport', { description: "A teacher's earnings in one currency over a period." })
export class EarningsModel {
  @Field()
  currency: string;
  @Field(() => Int)
  earnedMinor: number;
  @Field(() => Int, { description: 'Refunds and corrections in the period.' })
  refundedMinor: number;
  @Field(() => Int)
  netMinor: number;
  @Field(() => Int, {
    description: 'What the platform owes you now over all periods (bank payouts are not part of this service yet).',
  })
  balanceMinor: number;
  @Field(() => Int, { description: 'Ledger entries in the period.' })
  entries: number;
}

@ObjectType('Receipt')
export class ReceiptModel {
  @Field(() => ID)
  paymentId: string;
  @Field({ description: 'The receipt as an HTML document.' })
  html: string;
  @Field({ description: 'The receipt as a PDF, base64.' })
  pdfBase64: string;
}
