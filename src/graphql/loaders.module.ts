import { Global, Module } from '@nestjs/common';
import { LoaderFactory } from './request-loaders';

/** Global so the GraphQL context factory and feature modules share the one LoaderFactory. */
@Global()
@Module({ providers: [LoaderFactory], exports: [LoaderFactory] })
export class LoadersModule {}
