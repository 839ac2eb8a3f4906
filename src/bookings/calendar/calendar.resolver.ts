import { Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentViewer } from '../../auth/guards/auth.decorators';
import type { Viewer } from '../../auth/viewer';
import { CalendarFeed } from '../models/lesson.model';
import { CalendarService } from './calendar.service';

@Resolver()
export class CalendarResolver {
  constructor(private readonly calendar: CalendarService) {}

  @Query(() => CalendarFeed, { description: 'Your secret iCalendar feed of confirmed lessons (created on first use).' })
  async calendarFeed(@CurrentViewer() viewer: Viewer): Promise<CalendarFeed> {
    return { url: await this.calendar.url(viewer.userId) };
  }

  @Mutation(() => CalendarFeed, { description: 'Replaces your calendar feed URL; the old one stops working at once.' })
  async rotateCalendarFeed(@CurrentViewer() viewer: Viewer): Promise<CalendarFeed> {
    return { url: await this.calendar.rotate(viewer.userId) };
  }
}
