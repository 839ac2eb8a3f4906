// lint-as: src/reviews/probe.service.ts
import type { Model } from 'mongoose';
import { Clock } from '@app/common';
import { LessonQueriesService } from '../bookings/lesson-queries.service';

export type ProbeModel = Model<unknown>;
export const probe = (clock: Clock, lessons: LessonQueriesService) => [clock.now(), lessons];
