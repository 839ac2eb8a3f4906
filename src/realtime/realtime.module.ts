import { Global, Module } from '@nestjs/common';
import { SubscriptionFanout } from './subscription-fanout';

@Global()
@Module({ providers: [SubscriptionFanout], exports: [SubscriptionFanout] })
export class RealtimeModule {}
