import { Global, Module } from '@nestjs/common';
import { LoaderFactory } from './request-loaders';
import { SocketLifecycle } from './socket-lifecycle';

/** Global so the GraphQL options and every feature share the one LoaderFactory and socket hook registry. */
@Global()
@Module({ providers: [LoaderFactory, SocketLifecycle], exports: [LoaderFactory, SocketLifecycle] })
export class LoadersModule {}
