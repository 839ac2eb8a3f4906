import { Module } from '@nestjs/common';
import { TeachersModule } from '../teachers/teachers.module';
import { UsersModule } from '../users/users.module';
import { AvailabilityRepository } from './availability/availability.repository';
import { AvailabilityResolver } from './availability/availability.resolver';
import { AvailabilityService } from './availability/availability.service';
import { CalendarFeedRepository } from './calendar/calendar-feed.repository';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarResolver } from './calendar/calendar.resolver';
import { CalendarService } from './calendar/calendar.service';
import { LessonSubscriptions } from './lesson-subscriptions.service';
import { LessonExpiryJob } from './lesson-expiry.job';
import { LessonPlaces } from './lesson-places.service';
import { LessonQueriesService } from './lesson-queries.service';
import { LessonsRepository } from './lessons.repository';
import { LessonsResolver } from './lessons.resolver';
import { LessonsService } from './lessons.service';

@Module({
  imports: [UsersModule, TeachersModule],
  controllers: [CalendarController],
  providers: [
    AvailabilityRepository,
    AvailabilityResolver,
    AvailabilityService,
    CalendarFeedRepository,
    CalendarResolver,
    CalendarService,
    LessonSubscriptions,
    LessonExpiryJob,
    LessonPlaces,
    LessonQueriesService,
    LessonsRepository,
    LessonsResolver,
    LessonsService,
  ],
  exports: [AvailabilityService, LessonsService, LessonQueriesService],
})
export class BookingsModule {}
