import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TEACHER_PROFILE_MODEL, TeacherProfileSchema } from './teacher-profile.schema';
import { TeacherProfilesRepository } from './teacher-profiles.repository';

/**
 * The profile collection and its repository on their own, so that the global LoadersModule (the
 * teacherProfiles loader) and later modules (reviews) can use them without the whole TeachersModule.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: TEACHER_PROFILE_MODEL, schema: TeacherProfileSchema }])],
  providers: [TeacherProfilesRepository],
  exports: [TeacherProfilesRepository],
})
export class TeacherProfilesStoreModule {}
