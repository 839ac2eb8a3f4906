import { Injectable } from '@nestjs/common';
import { TeacherProfilesRepository } from './teacher-profiles.repository';
import { TeacherScheduling, TeacherSchedulingSource } from './teacher-scheduling';

/** The scheduling view of a profile, for bookings (provided as TeacherSchedulingSource). */
@Injectable()
export class TeacherSchedulingService extends TeacherSchedulingSource {
  constructor(private readonly profiles: TeacherProfilesRepository) {
    super();
  }

  async schedulingFor(teacherId: string): Promise<TeacherScheduling | null> {
    const profile = await this.profiles.findById(teacherId);
    if (!profile) return null;
    return {
      teacherId: profile.id,
      displayName: profile.displayName,
      timeZone: profile.timeZone,
      published: profile.published,
      formats: [...profile.formats],
      offerings: profile.offerings.map((o) => ({ ...o })),
      policies: { ...profile.policies },
    };
  }
}
