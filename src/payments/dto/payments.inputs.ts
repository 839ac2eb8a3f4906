import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsISO4217CurrencyCode,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ConnectionArgs, CurrencyScalar, IsEntityId, NullMeansOmitted, trim } from '@app/common';
import { LateCancellationRule } from '../payment.types';

export const PAYMENT_IDEMPOTENCY_DOC =
  'Required for money mutations: retrying with the same key returns the first result instead of paying twice (remembered 24 h).';

@InputType({ description: 'A package of credits for lessons of one of your offerings.' })
export class UpsertPackageInput {
  @Field(() => ID, { nullable: true, description: 'Omit to create a package; give it to change one of yours.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEntityId()
  id?: string;

  @Field({ description: 'Its name as students see it (2-80 characters).' })
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(80)
  name: string;

  @Field(() => Int, { description: 'One of your offerings.' })
  @IsInt()
  @Min(1)
  @Max(600)
  durationMinutes: number;

  @Field(() => Int, { description: 'Lessons in the package, 2-50.' })
  @IsInt()
  @Min(2)
  @Max(50)
  credits: number;

  @Field(() => Int, {
    description:
      'The price of the whole package in integer minor units of the currency: at most what the lessons cost one by one, at least 1 per credit.',
  })
  @IsInt()
  @Min(1, { message: 'amountMinor must be positive' })
  @Max(100_000_000, { message: 'amountMinor is absurdly large' })
  amountMinor: number;

  @Field(() => CurrencyScalar, { description: 'The currency of the price: that of the offering.' })
  @IsISO4217CurrencyCode()
  currency: string;

  @Field(() => Int, { description: 'Credits expire this many months after the purchase (1-24).' })
  @IsInt()
  @Min(1)
  @Max(24)
  validityMonths: number;

  @Field(() => LateCancellationRule, { nullable: true, description: 'Default CONSUME_CREDIT.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsEnum(LateCancellationRule)
  lateCancellation?: LateCancellationRule;

  @Field({ nullable: true, description: 'Default true; false takes it off sale (bought credits stay valid).' })
  @IsOptional()
  @NullMeansOmitted()
  @IsBoolean()
  active?: boolean;
}

@ArgsType()
export class MyPaymentsArgs extends ConnectionArgs {
  @Field({ nullable: true, description: 'true: payments for your lessons as a teacher; default: what you paid.' })
  @IsOptional()
  @NullMeansOmitted()
  @IsBoolean()
  asTeacher?: boolean;
}

@ArgsType()
export class EarningsArgs {
  @Field(() => Date, { description: 'Start of the period (inclusive).' })
  @IsDate()
  from: Date;

  @Field(() => Date, { description: 'End of the period (exclusive); at most 366 days after from.' })
  @IsDate()
  to: Date;
}

@ArgsType()
export class RefundPaymentArgs {
  @Field(() => ID, { description: 'The payment to refund.' })
  @IsEntityId()
  paymentId: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Card payments: default what is left; packages: always the unused credits.',
  })
  @IsOptional()
  @NullMeansOmitted()
  @IsInt()
  @Min(1)
  amountMinor?: number;

  @Field({ description: 'Why (3-500 characters); shown on the receipt.' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;

  @Field({ description: PAYMENT_IDEMPOTENCY_DOC })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  idempotencyKey: string;
}
