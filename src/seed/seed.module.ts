import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { BootstrapModule } from '../bootstrap/bootstrap.module';
import { MediaModule } from '../media/media.module';
import { TeachersModule } from '../teachers/teachers.module';
import { UsersModule } from '../users/users.module';
import { DemoSeedService } from './demo-seed.service';

/** Demo data for `npm start` (SEED_DEMO_DATA=true): logins, published teachers with photos; does nothing otherwise. */
@Module({
  imports: [BootstrapModule, UsersModule, AuthModule, TeachersModule, BookingsModule, MediaModule],
  providers: [DemoSeedService],
  exports: [DemoSeedService],
})
export class SeedModule {}
