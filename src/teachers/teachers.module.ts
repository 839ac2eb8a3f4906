import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { TeacherSearchService } from './search/teacher-search.service';
import { TeacherAccountConsumer } from './teacher-account.consumer';
import { TeacherProfilesStoreModule } from './teacher-profiles-store.module';
import { TeacherSchedulingSource } from './teacher-scheduling';
import { TeacherSchedulingService } from './teacher-scheduling.service';
import { TeachersResolver } from './teachers.resolver';
import { TeachersService } from './teachers.service';

/** Teacher profiles, public pages and discovery search; the scheduling view for bookings. */
@Module({
  imports: [TeacherProfilesStoreModule, UsersModule],
  providers: [
    TeachersService,
    TeacherAccountConsumer,
    TeacherSearchService,
    TeachersResolver,
    TeacherSchedulingService,
    { provide: TeacherSchedulingSource, useExisting: TeacherSchedulingService },
  ],
  exports: [TeachersService, TeacherSchedulingSource],
})
export class TeachersModule {}
