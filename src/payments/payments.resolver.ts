import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Clock, connectionFromPage, IdArg, pageSizeOf } from '@app/common';
import { CurrentViewer, Public, Roles } from '../auth/guards/auth.decorators';
import type { Viewer } from '../auth/viewer';
import { AppConfig } from '../config/app-config';
import { Role } from '../users/user.types';
import {
  EarningsArgs,
  MyPaymentsArgs,
  PAYMENT_IDEMPOTENCY_DOC,
  RefundPaymentArgs,
  UpsertPackageInput,
} from './dto/payments.inputs';
import {
  CreditLotModel,
  EarningsModel,
  LessonPackageModel,
  PaymentConnection,
  PaymentModel,
  ReceiptModel,
} from './models/payment.model';
import { presentCredits, presentEarnings, presentPackage, presentPayment } from './payment.presenter';
import { PackagesService } from './packages.service';
import { PaymentsService } from './payments.service';
import { ReceiptService } from './receipts/receipt.service';

const optionalKey = {
  name: 'idempotencyKey',
  type: () => String,
  nullable: true,
  description: 'Optional. Retrying with the same key returns the first result (remembered 24 h).',
} as const;

@Resolver()
export class PaymentsResolver {
  constructor(
    private readonly payments: PaymentsService,
    private readonly packages: PackagesService,
    private readonly receipts: ReceiptService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Public()
  @Query(() => [LessonPackageModel], {
    description: "A teacher's packages on sale (the teacher also sees those off sale).",
  })
  async teacherPackages(
    @CurrentViewer() viewer: Viewer | undefined,
    @IdArg('teacherId', 'The teacher.') teacherId: string,
  ) {
    return (await this.packages.ofTeacher(viewer, teacherId)).map(presentPackage);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => LessonPackageModel, {
    description: 'Teacher: creates or changes a package of one of your offerings.',
  })
  async upsertPackage(
    @CurrentViewer() viewer: Viewer,
    @Args('input', { description: 'The package.' }) input: UpsertPackageInput,
    @Args(optionalKey) key?: string,
  ) {
    return presentPackage(await this.packages.upsert(viewer, input, key));
  }

  @Mutation(() => PaymentModel, {
    description:
      'Buys a package: confirm the card with the returned clientSecret (Stripe.js); the credits appear in myCredits once the payment succeeded.',
  })
  async buyPackage(
    @CurrentViewer() viewer: Viewer,
    @IdArg('packageId', 'The package to buy.') packageId: string,
    @Args('idempotencyKey', { description: PAYMENT_IDEMPOTENCY_DOC }) key: string,
  ) {
    return presentPayment(await this.payments.buyPackage(viewer, packageId, key), viewer);
  }

  @Query(() => [CreditLotModel], { description: 'Your package credits, soonest expiry first.' })
  async myCredits(@CurrentViewer() viewer: Viewer) {
    const now = this.clock.now();
    return (await this.payments.myCredits(viewer)).map((c) =>
      presentCredits(c, now, this.config.CREDIT_EXPIRY_NOTICE_DAYS),
    );
  }

  @Query(() => PaymentConnection, {
    description: 'What you paid (or, asTeacher, what was paid for your lessons), newest first.',
  })
  async myPayments(@CurrentViewer() viewer: Viewer, @Args() args: MyPaymentsArgs) {
    const page = await this.payments.myPayments(viewer, !!args.asTeacher, pageSizeOf(args), args.after);
    return connectionFromPage(page, { hasPreviousPage: !!args.after, node: (p) => presentPayment(p, viewer) });
  }

  @Query(() => PaymentModel, {
    nullable: true,
    description:
      'A payment, for its payer, its teacher and admins; null when there is none (FORBIDDEN for anyone else).',
  })
  async payment(@CurrentViewer() viewer: Viewer, @IdArg('id', 'The payment.') id: string) {
    const payment = await this.payments.visible(viewer, id);
    return payment && presentPayment(payment, viewer);
  }

  @Query(() => PaymentModel, {
    nullable: true,
    description:
      "A lesson's payment (its clientSecret, for the student, while the card is to be confirmed); null for a free lesson or none.",
  })
  async lessonPayment(@CurrentViewer() viewer: Viewer, @IdArg('lessonId', 'The lesson.') lessonId: string) {
    const payment = await this.payments.lessonPayment(viewer, lessonId);
    return payment && presentPayment(payment, viewer);
  }

  @Roles(Role.TEACHER)
  @Query(() => [EarningsModel], {
    description: 'Teacher: your earnings per currency in [from, to): the payout report.',
  })
  async myEarnings(@CurrentViewer() viewer: Viewer, @Args() args: EarningsArgs) {
    return (await this.payments.earnings(viewer, args.from, args.to)).map(presentEarnings);
  }

  @Query(() => ReceiptModel, {
    nullable: true,
    description:
      'The receipt of a payment (HTML and PDF), for its payer, its teacher and admins; null when there is no such payment.',
  })
  async receipt(
    @CurrentViewer() viewer: Viewer,
    @IdArg('paymentId', 'The payment.') paymentId: string,
  ): Promise<ReceiptModel | null> {
    const payment = await this.payments.visible(viewer, paymentId);
    if (!payment) return null;
    const view = await this.receipts.view(payment);
    return {
      paymentId,
      html: this.receipts.html(view),
      pdfBase64: (await this.receipts.pdf(view)).toString('base64'),
    };
  }

  @Roles(Role.ADMIN)
  @Mutation(() => PaymentModel, {
    description: "Admin: refunds a card payment (part or all), or a package's unused credits.",
  })
  async refundPayment(@CurrentViewer() viewer: Viewer, @Args() args: RefundPaymentArgs) {
    const payment = await this.payments.refund(
      viewer,
      args.paymentId,
      args.amountMinor,
      args.reason,
      args.idempotencyKey,
    );
    return presentPayment(payment, viewer);
  }
}
