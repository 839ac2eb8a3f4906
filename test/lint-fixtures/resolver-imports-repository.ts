// lint-as: src/bookings/probe.resolver.ts
import { LessonsRepository } from './lessons.repository';

export const probe = LessonsRepository;
