import { Injectable } from '@nestjs/common';
import { Clock, NotFoundError } from '@app/common';
import type { Viewer } from '../auth/viewer';
import { AppConfig } from '../config/app-config';
import type { RequestLoaders } from '../graphql/request-loaders';
import { TeachersService } from '../teachers/teachers.service';
import { UsersService } from '../users/users.service';
import { MediaAccessService } from './media-access.service';
import { MediaObjectsRepository } from './media-objects.repository';
import { MediaQuotaRepository, type QuotaUsage } from './media-quota.repository';
import { MediaRemovalService } from './media-removal.service';
import { MediaRepository } from './media.repository';
import { ImageFormat, ImageSize, ImageVariant, Media, MediaKind, MediaPurpose, MediaStatus } from './media.types';

export interface MediaUrl {
  url: string;
  /** Null for CDN URLs, which do not expire. */
  expiresAt: Date | null;
}

/** The longest a public presigned URL may be used, counted from the start of its signing day. */
const PUBLIC_URL_VALID_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

/** Reading, showing and deleting media: visibility, URLs, removal with the references to it. */
@Injectable()
export class MediaService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly access: MediaAccessService,
    private readonly objects: MediaObjectsRepository,
    private readonly quota: MediaQuotaRepository,
    private readonly removal: MediaRemovalService,
    private readonly media: MediaRepository,
    private readonly teachers: TeachersService,
    private readonly users: UsersService,
  ) {}

  /** A media the viewer may see, or null (missing, or not theirs to see: the same answer). */
  async visible(loaders: RequestLoaders, id: string, viewer: Viewer | null | undefined): Promise<Media | null> {
    const media = await loaders.media.load(id);
    return media && (await this.access.canView(media, viewer)) ? media : null;
  }

  /**
   * Media shown on a profile or as an avatar, in order: READY ones for everyone, and the owner's
   * (or an admin's) view also those still processing. One loader batch for a whole page.
   */
  async shown(loaders: RequestLoaders, ids: readonly string[], viewer: Viewer | null | undefined): Promise<Media[]> {
    const found = await Promise.all(ids.map((id) => loaders.media.load(id)));
    return found.filter(
      (m): m is Media =>
        !!m &&
        (m.status === MediaStatus.READY ||
          (m.status === MediaStatus.PROCESSING && this.access.isOwnerOrAdmin(m, viewer))),
    );
  }

  /** A media by id for another feature, which applies its own access rules (lesson recordings). */
  find(id: string): Promise<Media | null> {
    return this.media.findById(id);
  }

  /**
   * Removes a media whoever owns it, for a feature whose own rules decided it must go (a revoked
   * recording consent, a recording past its retention); false when it was already gone.
   */
  async removeForFeature(id: string): Promise<boolean> {
    return !!(await this.removal.remove(id));
  }

  usage(viewer: Viewer): Promise<QuotaUsage> {
    return this.quota.usage(viewer.userId);
  }

  /** Deletes a media with every object of it; its owner or an admin. Profiles and avatars stop using it first. */
  async delete(viewer: Viewer, id: string): Promise<boolean> {
    const media = await this.removalTarget(viewer, id);
    if (media.purpose === MediaPurpose.AVATAR) await this.users.removeAvatar(media.ownerId, media.id);
    if (media.public && media.purpose !== MediaPurpose.AVATAR)
      await this.teachers.removeProfileMedia(media.ownerId, media.id);
    if (!(await this.removal.remove(media.id))) throw new NotFoundError('Media', id);
    return true;
  }

  private async removalTarget(viewer: Viewer, id: string): Promise<Media> {
    const media = await this.media.findById(id);
    if (!media || !this.access.isOwnerOrAdmin(media, viewer)) throw new NotFoundError('Media', id);
    return media;
  }

  /** What a client shows or plays: an image's display JPEG, or the file itself. Null until READY. */
  async url(media: Media): Promise<MediaUrl | null> {
    if (media.status !== MediaStatus.READY) return null;
    if (media.kind === MediaKind.IMAGE) {
      const display = media.variants.find((v) => v.size === ImageSize.DISPLAY_1600 && v.format === ImageFormat.JPEG);
      return display ? this.objectUrl(media, display.key) : null;
    }
    return this.objectUrl(media, media.key);
  }

  async variants(media: Media): Promise<Array<ImageVariant & { url: string }>> {
    if (media.status !== MediaStatus.READY) return [];
    return Promise.all(media.variants.map(async (v) => ({ ...v, url: (await this.objectUrl(media, v.key)).url })));
  }

  /** Public objects: the stable URL; private ones: a short presigned GET, issued now. */
  private async objectUrl(media: Media, key: string): Promise<MediaUrl> {
    // Whole seconds: a signature carries seconds, and urlExpiresAt must be the moment it names.
    const now = new Date(Math.floor(this.clock.now().getTime() / 1000) * 1000);
    if (media.public) {
      const url = await this.objects.publicUrl(key, now);
      if (this.config.MEDIA_PUBLIC_BASE_URL) return { url, expiresAt: null };
      const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
      return { url, expiresAt: new Date(day + PUBLIC_URL_VALID_MS) };
    }
    const ttl = this.config.MEDIA_PRIVATE_URL_TTL_SECONDS;
    return {
      url: await this.objects.privateUrl(key, now, ttl),
      expiresAt: new Date(now.getTime() + ttl * 1000),
    };
  }
}
