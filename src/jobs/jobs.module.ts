import { Global, Module } from '@nestjs/common';
import { JobScheduler } from './job-scheduler.service';
import { JobsRepository } from './jobs.repository';

/** The cluster-safe job scheduler; features register their periodic jobs and delayed-job handlers with it. */
@Global()
@Module({ providers: [JobsRepository, JobScheduler], exports: [JobScheduler] })
export class JobsModule {}
