import { BadRequestException, Controller, Headers, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { StoreUnavailableFilter } from '../observability/store-unavailable.filter';
import { InvalidWebhookSignatureError } from './provider/payment-provider';
import { StripeWebhooks } from './stripe-webhooks.service';

/**
 * POST /payments/stripe/webhook: Stripe's events, verified by signature (STRIPE_WEBHOOK_SECRET).
 * 400 for a bad signature (nothing applied); 503 while a store or Stripe is away, so Stripe retries.
 */
@Controller('payments/stripe')
@UseFilters(StoreUnavailableFilter)
export class StripeWebhookController {
  constructor(private readonly webhooks: StripeWebhooks) {}

  @Post('webhook')
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<FastifyRequest>, @Headers('stripe-signature') signature?: string) {
    if (!req.rawBody) throw new BadRequestException('expected a JSON body');
    try {
      return await this.webhooks.receive(req.rawBody, signature);
    } catch (err) {
      if (err instanceof InvalidWebhookSignatureError)
        throw new BadRequestException(`webhook signature rejected: ${err.message}`);
      throw err;
    }
  }
}
