import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { LoaderFactory } from '../graphql/request-loaders';
import { TeacherProfilesRepository } from './teacher-profiles.repository';
import type { TeacherProfile } from './teacher.types';

declare module '../graphql/request-loaders' {
  interface RequestLoaders {
    /** Teacher profiles by id (the teacher's user id): one MongoDB find per batch, null when missing. */
    teacherProfiles: DataLoader<string, TeacherProfile | null>;
  }
}

/** Registers the per-request teacher profile loader with the GraphQL layer. */
@Injectable()
export class TeacherProfileLoader {
  constructor(factory: LoaderFactory, profiles: TeacherProfilesRepository) {
    factory.register(
      'teacherProfiles',
      () =>
        new DataLoader<string, TeacherProfile | null>(
          (ids) => {
            factory.observeBatch('teacherProfiles', ids.length);
            return profiles.findByIds(ids);
          },
          { maxBatchSize: 500 },
        ),
    );
  }
}
