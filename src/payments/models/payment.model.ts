import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { CurrencyScalar, Paginated } from '@app/common';
// The schema's one Money type (integer minor units plus an ISO 4217 currency), shared with lessons.
import { MoneyModel as Money } from '../../bookings/models/lesson.model';
import { LateCancellationRule, PaymentKind, PaymentMethod, PaymentState } from '../payment.types';

@ObjectType('Refund', { description: 'Money given back to the student, promised or sent.' })
export class RefundModel {
  @Field(() => ID, { description: 'The refund.' })
  id: string;
  @Field(() => Money, { description: 'How much is given back.' })
  amount: Money;
  @Field({ description: "Why (an admin's reason, or the lesson terms)." })
  reason: string;
  @Field({ description: 'DUE: promised and on its way to the provider; SENT: refunded to the card.' })
  status: string;
  @Field(() => Date, { description: 'When it was promised.' })
  at: Date;
}

@ObjectType('Payment', { description: 'A lesson paid per lesson or with a credit, or a package purchase.' })
export class PaymentModel {
  @Field(() => ID, { description: "The payment (a lesson's is `L-` and the lesson id)." })
  id: string;
  @Field(() => PaymentKind, { description: 'A lesson or a package purchase.' })
  kind: PaymentKind;
  @Field(() => PaymentMethod, { description: 'Paid by card or with a package credit.' })
  method: PaymentMethod;
  @Field(() => PaymentState, { description: 'Where the money is.' })
  state: PaymentState;
  @Field(() => ID, { description: 'Who pays.' })
  studentId: string;
  @Field(() => ID, { description: 'Who is paid.' })
  teacherId: string;
  @Field(() => Money, { description: "The lesson's price (a credit's value for a credit lesson), or the package's." })
  amount: Money;
  @Field(() => Money, { description: 'What the lesson terms charged: the price, a late fee, or nothing yet.' })
  charged: Money;
  @Field(() => Money, { description: 'Captured at the card provider.' })
  captured: Money;
  @Field(() => Money, { description: 'Sent back to the card.' })
  refunded: Money;
  @Field(() => [RefundModel], { description: 'Money given back, promised or sent.' })
  refunds: RefundModel[];
  @Field(() => Int, {
    nullable: true,
    description: 'The percent of the price the terms charged (100, or the late fee).',
  })
  feePercent?: number;
  @Field(() => ID, { nullable: true, description: 'The lesson paid for (lesson payments).' })
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
  @Field({ description: 'What was paid for, in words.' })
  description: string;
  @Field(() => Date, { description: 'When the payment was opened.' })
  createdAt: Date;
  @Field(() => Date, { description: 'When it last changed.' })
  updatedAt: Date;
}

@ObjectType('PaymentConnection', { description: 'A page of payments, newest first.' })
export class PaymentConnection extends Paginated(PaymentModel, { nodeName: 'Payment' }) {}

@ObjectType('LessonPackage', { description: 'Credits for lessons of one offering, sold by a teacher.' })
export class LessonPackageModel {
  @Field(() => ID, { description: 'The package.' })
  id: string;
  @Field(() => ID, { description: 'The teacher who sells it.' })
  teacherId: string;
  @Field({ description: 'Its name, as the teacher gave it.' })
  name: string;
  @Field(() => Int, { description: "The length of each lesson (one of the teacher's offerings)." })
  durationMinutes: number;
  @Field(() => Int, { description: 'How many lessons it holds.' })
  credits: number;
  @Field(() => Money, { description: 'The price of the whole package.' })
  price: Money;
  @Field(() => Int, { description: 'Discount against the same lessons bought one by one, percent (rounded down).' })
  discountPercent: number;
  @Field(() => Int, { description: 'Credits expire this many months after the purchase.' })
  validityMonths: number;
  @Field(() => LateCancellationRule, { description: 'What a late cancellation or a no-show costs a credit.' })
  lateCancellation: LateCancellationRule;
  @Field({ description: 'On sale (false: off sale; bought credits stay valid).' })
  active: boolean;
}

@ObjectType('CreditLot', { description: 'The credits of one package purchase, and where each one is.' })
export class CreditLotModel {
  @Field(() => ID, { description: 'Pass as requestLesson(input: { creditId }) to book with a credit.' })
  id: string;
  @Field(() => ID, { description: 'The teacher the credits are for.' })
  teacherId: string;
  @Field(() => ID, { description: 'The package bought.' })
  packageId: string;
  @Field(() => Int, { description: 'The length of the lessons the credits pay for.' })
  durationMinutes: number;
  @Field(() => Int, { description: 'Credits bought.' })
  credits: number;
  @Field(() => Int, { description: 'Credits that can be booked now.' })
  available: number;
  @Field(() => Int, { description: 'Held by booked lessons that have not taken place.' })
  reserved: number;
  @Field(() => Int, { description: 'Credits spent on lessons (held, late-cancelled or missed).' })
  used: number;
  @Field(() => Int, { description: 'Credits that expired unused.' })
  expired: number;
  @Field(() => Int, { description: 'Credits withdrawn by a refund.' })
  refunded: number;
  @Field(() => Date, { description: 'When the unused credits expire.' })
  expiresAt: Date;
  @Field({ description: 'Unused credits expire within CREDIT_EXPIRY_NOTICE_DAYS.' })
  expiringSoon: boolean;
}

@ObjectType('EarningsReport', { description: "A teacher's earnings in one currency over a period." })
export class EarningsModel {
  @Field(() => CurrencyScalar, { description: 'The currency of every amount of this report.' })
  currency: string;
  @Field(() => Money, { description: 'Earned in the period, after the platform fee.' })
  earned: Money;
  @Field(() => Money, { description: 'Refunds and corrections in the period.' })
  refunded: Money;
  @Field(() => Money, { description: 'Earned less refunded.' })
  net: Money;
  @Field(() => Money, {
    description: 'What the platform owes you now over all periods (bank payouts are not part of this service yet).',
  })
  balance: Money;
  @Field(() => Int, { description: 'Ledger entries in the period.' })
  entries: number;
}

@ObjectType('Receipt', { description: 'A receipt of a payment, as HTML and as PDF.' })
export class ReceiptModel {
  @Field(() => ID, { description: 'The payment the receipt is for.' })
  paymentId: string;
  @Field({ description: 'The receipt as an HTML document.' })
  html: string;
  @Field({ description: 'The receipt as a PDF, base64.' })
  pdfBase64: string;
}
