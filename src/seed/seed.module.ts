import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BootstrapModule } from '../bootstrap/bootstrap.module';
import { UsersModule } from '../users/users.module';
import { DemoSeedService } from './demo-seed.service';

/** Demo data for `npm start` (SEED_DEMO_DATA=true); does nothing otherwise. */
@Module({
  imports: [BootstrapModule, UsersModule, AuthModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class SeedModule {}
