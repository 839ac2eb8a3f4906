import { Global, Module } from '@nestjs/common';
import { LessonBilling } from '../bookings/lesson-billing';
import { TeachersModule } from '../teachers/teachers.module';
import { UsersModule } from '../users/users.module';
import { CreditExpiry } from './credit-expiry.service';
import { CreditLotsRepository } from './credit-lots.repository';
import { LedgerRepository } from './ledger/ledger.repository';
import { LessonBillingService } from './lesson-billing.service';
import { PackagesRepository } from './packages.repository';
import { PackagesService } from './packages.service';
import { PaymentFollowUp } from './payment-follow-up.consumer';
import { PaymentSync } from './payment-sync.service';
import { PaymentsRepository } from './payments.repository';
import { PaymentsResolver } from './payments.resolver';
import { PaymentsService } from './payments.service';
import { PaymentProvider } from './provider/payment-provider';
import { StripeProvider } from './provider/stripe.provider';
import { ReceiptService } from './receipts/receipt.service';
import { StripeWebhookController } from './stripe-webhook.controller';
import { StripeWebhooks } from './stripe-webhooks.service';
import './payments.events';

/**
 * Payments: packages and credits, pay per lesson through Stripe, the double-entry ledger
 * (docs/decisions/0017-payments-ledger.md). Global so that bookings finds its LessonBilling port
 * without importing this module (bookings works without payments: a no-op billing).
 */
@Global()
@Module({
  imports: [UsersModule, TeachersModule],
  controllers: [StripeWebhookController],
  providers: [
    CreditExpiry,
    CreditLotsRepository,
    LedgerRepository,
    LessonBillingService,
    { provide: LessonBilling, useExisting: LessonBillingService },
    PackagesRepository,
    PackagesService,
    PaymentFollowUp,
    PaymentSync,
    PaymentsRepository,
    PaymentsResolver,
    PaymentsService,
    StripeProvider,
    { provide: PaymentProvider, useExisting: StripeProvider },
    ReceiptService,
    StripeWebhooks,
  ],
  exports: [LessonBilling, PaymentsService],
})
export class PaymentsModule {}
