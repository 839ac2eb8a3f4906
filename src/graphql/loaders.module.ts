import { Global, Module } from '@nestjs/common';
import { TeacherProfilesStoreModule } from '../teachers/teacher-profiles-store.module';
import { LoaderFactory } from './request-loaders';

/** Global so the GraphQL context factory and feature modules share the one LoaderFactory. */
@Global()
@Module({ imports: [TeacherProfilesStoreModule], providers: [LoaderFactory], exports: [LoaderFactory] })
export class LoadersModule {}
