import { Args, ID, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { ParseIdPipe } from '@app/common';
import { CurrentViewer, Roles } from '../auth/guards/auth.decorators';
import type { Viewer } from '../auth/viewer';
import type { GraphQLContext } from '../graphql/graphql-context';
import { TeacherModel } from '../teachers/models/teacher.model';
import { presentTeacher } from '../teachers/teacher.presenter';
import { UserModel } from '../users/models/user.model';
import { presentUser } from '../users/user.presenter';
import { Role } from '../users/user.types';
import { presentMedia } from './media.presenter';
import { MediaService } from './media.service';
import { MediaModel } from './models/media.model';
import { ProfileMediaService } from './profile-media.service';

const OptionalMediaId = () =>
  Args('mediaId', { type: () => ID, nullable: true, description: 'null removes it.' }, new OptionalIdPipe());
const MediaIds = () =>
  Args(
    'mediaIds',
    { type: () => [ID], description: 'The whole list, in order (an empty list clears it).' },
    new IdListPipe(),
  );

class OptionalIdPipe extends ParseIdPipe {
  constructor() {
    super('mediaId');
  }
  override transform(value: unknown): string {
    return value === null || value === undefined ? (null as unknown as string) : super.transform(value);
  }
}

class IdListPipe {
  private readonly one = new ParseIdPipe('mediaIds');
  transform(value: unknown): string[] {
    return (value as unknown[]).map((v) => this.one.transform(v));
  }
}

/**
 * The media of profiles and accounts: the Teacher and User fields, and the mutations that set them.
 * The fields take graphql-js's (parent, args, context) without parameter decorators, so Nest binds
 * them directly (no per-call wrapper): a page of teachers calls them many times.
 */
@Resolver(() => TeacherModel)
export class TeacherMediaResolver {
  constructor(
    private readonly media: MediaService,
    private readonly profiles: ProfileMediaService,
  ) {}

  @ResolveField(() => MediaModel, { nullable: true, description: 'The profile photo (set with setMyTeacherPhoto).' })
  async photo(teacher: TeacherModel, _args: unknown, ctx: GraphQLContext): Promise<MediaModel | null> {
    const id = teacher.profileMedia.photoId;
    const [media] = id ? await this.media.shown(ctx.loaders, [id], ctx.viewer) : [];
    return media ? presentMedia(media) : null;
  }

  @ResolveField(() => [MediaModel], { description: 'Photos in the teacher’s order, at most 12 (setMyTeacherGallery).' })
  async gallery(teacher: TeacherModel, _args: unknown, ctx: GraphQLContext): Promise<MediaModel[]> {
    return (await this.media.shown(ctx.loaders, teacher.profileMedia.galleryIds, ctx.viewer)).map(presentMedia);
  }

  @ResolveField(() => MediaModel, { nullable: true, description: 'The introduction video (setMyTeacherIntroVideo).' })
  async introVideo(teacher: TeacherModel, _args: unknown, ctx: GraphQLContext): Promise<MediaModel | null> {
    const id = teacher.profileMedia.introVideoId;
    const [media] = id ? await this.media.shown(ctx.loaders, [id], ctx.viewer) : [];
    return media ? presentMedia(media) : null;
  }

  @ResolveField(() => [MediaModel], { description: 'Sound clips in order, at most 5 (setMyTeacherAudioClips).' })
  async audioClips(teacher: TeacherModel, _args: unknown, ctx: GraphQLContext): Promise<MediaModel[]> {
    return (await this.media.shown(ctx.loaders, teacher.profileMedia.audioClipIds, ctx.viewer)).map(presentMedia);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => TeacherModel, { description: 'Sets your profile photo: a PROFILE_PHOTO upload of yours.' })
  async setMyTeacherPhoto(
    @CurrentViewer() viewer: Viewer,
    @OptionalMediaId() mediaId: string | null,
  ): Promise<TeacherModel> {
    return presentTeacher(await this.profiles.setTeacherPhoto(viewer, mediaId), viewer);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => TeacherModel, {
    description: 'Replaces your gallery: up to 12 PROFILE_PHOTO uploads of yours, in order.',
  })
  async setMyTeacherGallery(@CurrentViewer() viewer: Viewer, @MediaIds() mediaIds: string[]): Promise<TeacherModel> {
    return presentTeacher(await this.profiles.setTeacherGallery(viewer, mediaIds), viewer);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => TeacherModel, { description: 'Sets your introduction video: a PROFILE_VIDEO upload of yours.' })
  async setMyTeacherIntroVideo(
    @CurrentViewer() viewer: Viewer,
    @OptionalMediaId() mediaId: string | null,
  ): Promise<TeacherModel> {
    return presentTeacher(await this.profiles.setTeacherIntroVideo(viewer, mediaId), viewer);
  }

  @Roles(Role.TEACHER)
  @Mutation(() => TeacherModel, {
    description: 'Replaces your sound clips: up to 5 PROFILE_AUDIO uploads of yours, in order.',
  })
  async setMyTeacherAudioClips(@CurrentViewer() viewer: Viewer, @MediaIds() mediaIds: string[]): Promise<TeacherModel> {
    return presentTeacher(await this.profiles.setTeacherAudioClips(viewer, mediaIds), viewer);
  }
}

@Resolver(() => UserModel)
export class UserAvatarResolver {
  constructor(
    private readonly media: MediaService,
    private readonly profiles: ProfileMediaService,
  ) {}

  @ResolveField(() => MediaModel, { nullable: true, description: 'The avatar (set with setMyAvatar), public.' })
  async avatar(user: UserModel, _args: unknown, ctx: GraphQLContext): Promise<MediaModel | null> {
    const id = user.avatarMediaId;
    const [media] = id ? await this.media.shown(ctx.loaders, [id], ctx.viewer) : [];
    return media ? presentMedia(media) : null;
  }

  @Mutation(() => UserModel, { description: 'Sets your avatar: an AVATAR upload of yours (null removes it).' })
  async setMyAvatar(@CurrentViewer() viewer: Viewer, @OptionalMediaId() mediaId: string | null): Promise<UserModel> {
    return presentUser(await this.profiles.setAvatar(viewer, mediaId), viewer);
  }
}
