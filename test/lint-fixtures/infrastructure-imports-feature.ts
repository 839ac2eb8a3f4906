// lint-as: src/graphql/probe.ts
import { TeachersService } from '../teachers/teachers.service';

export const probe = TeachersService;
