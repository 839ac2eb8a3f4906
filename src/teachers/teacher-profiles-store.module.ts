import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TEACHER_PROFILE_MODEL, TeacherProfileSchema } from './teacher-profile.schema';
import { TeacherProfileLoader } from './teacher-profile.loader';
import { TeacherProfilesRepository } from './teacher-profiles.repository';

/** The profile collection, its repository and its per-request loader. */
@Module({
  imports: [MongooseModule.forFeature([{ name: TEACHER_PROFILE_MODEL, schema: TeacherProfileSchema }])],
  providers: [TeacherProfilesRepository, TeacherProfileLoader],
  exports: [TeacherProfilesRepository],
})
export class TeacherProfilesStoreModule {}
