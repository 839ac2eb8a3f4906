import { Global, Module } from '@nestjs/common';
import { EventBus } from './pub-sub';

@Global()
@Module({ providers: [EventBus], exports: [EventBus] })
export class RealtimeModule {}
