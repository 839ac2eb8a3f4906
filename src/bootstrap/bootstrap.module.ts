import { Module } from '@nestjs/common';
import { ResourceBootstrapService } from './resource-bootstrap.service';

/** Creates the table, bucket and indexes at boot; exported so later boot steps (the demo seed) can await it. */
@Module({
  providers: [ResourceBootstrapService],
  exports: [ResourceBootstrapService],
})
export class BootstrapModule {}
