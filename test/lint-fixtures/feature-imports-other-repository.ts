// lint-as: src/reviews/probe.service.ts
import { LessonsRepository } from '../bookings/lessons.repository';

export const probe = LessonsRepository;
