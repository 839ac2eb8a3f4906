import { Injectable } from '@nestjs/common';
import { NotFoundError, ValidationFailedError } from '@app/common';
import type { Viewer } from '../auth/viewer';
import { LIMITS, type TeacherProfile } from '../teachers/teacher.types';
import { TeachersService } from '../teachers/teachers.service';
import type { User } from '../users/user.types';
import { UsersService } from '../users/users.service';
import { mediaNotUsable } from './media.errors';
import { MediaRepository } from './media.repository';
import { Media, MediaPurpose, MediaStatus } from './media.types';

/**
 * Puts the viewer's media on their teacher profile (photo, ordered gallery, intro video, sound
 * clips) and account (avatar). Each media must be the viewer's own, of the right purpose, and
 * verified (READY, or PROCESSING: it shows once its derivatives exist).
 */
@Injectable()
export class ProfileMediaService {
  constructor(
    private readonly media: MediaRepository,
    private readonly teachers: TeachersService,
    private readonly users: UsersService,
  ) {}

  async setTeacherPhoto(viewer: Viewer, mediaId: string | null): Promise<TeacherProfile> {
    if (mediaId) await this.usable(viewer, [mediaId], MediaPurpose.PROFILE_PHOTO, 'mediaId');
    return this.teachers.setProfileMedia(viewer.userId, { photoId: mediaId });
  }

  async setTeacherGallery(viewer: Viewer, mediaIds: string[]): Promise<TeacherProfile> {
    await this.checkList(viewer, mediaIds, LIMITS.gallery, MediaPurpose.PROFILE_PHOTO);
    return this.teachers.setProfileMedia(viewer.userId, { galleryIds: mediaIds });
  }

  async setTeacherIntroVideo(viewer: Viewer, mediaId: string | null): Promise<TeacherProfile> {
    if (mediaId) await this.usable(viewer, [mediaId], MediaPurpose.PROFILE_VIDEO, 'mediaId');
    return this.teachers.setProfileMedia(viewer.userId, { introVideoId: mediaId });
  }

  async setTeacherAudioClips(viewer: Viewer, mediaIds: string[]): Promise<TeacherProfile> {
    await this.checkList(viewer, mediaIds, LIMITS.audioClips, MediaPurpose.PROFILE_AUDIO);
    return this.teachers.setProfileMedia(viewer.userId, { audioClipIds: mediaIds });
  }

  async setAvatar(viewer: Viewer, mediaId: string | null): Promise<User> {
    if (mediaId) await this.usable(viewer, [mediaId], MediaPurpose.AVATAR, 'mediaId');
    return this.users.setAvatar(viewer.userId, mediaId);
  }

  private async checkList(viewer: Viewer, ids: string[], max: number, purpose: MediaPurpose): Promise<void> {
    if (ids.length > max) throw ValidationFailedError.field('mediaIds', `at most ${max} media`);
    if (new Set(ids).size !== ids.length) throw ValidationFailedError.field('mediaIds', 'each media at most once');
    await this.usable(viewer, ids, purpose, 'mediaIds');
  }

  private async usable(viewer: Viewer, ids: string[], purpose: MediaPurpose, field: string): Promise<Media[]> {
    const found = await this.media.findByIds(ids);
    return found.map((media, i) => {
      if (!media || media.ownerId !== viewer.userId) throw new NotFoundError('Media', ids[i]);
      if (media.purpose !== purpose) {
        throw mediaNotUsable(field, `media ${media.id} was uploaded as ${media.purpose}; this needs ${purpose}`);
      }
      if (media.status !== MediaStatus.READY && media.status !== MediaStatus.PROCESSING) {
        throw mediaNotUsable(field, `media ${media.id} is ${media.status}; complete its upload first`, media.status);
      }
      return media;
    });
  }
}
