import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common';
import { MediaObjectsRepository } from './media-objects.repository';
import { MediaQuotaRepository } from './media-quota.repository';
import { tokenOfKey } from './media.keys';
import { MediaRepository } from './media.repository';
import { Media, MediaRejectionReason, MediaStatus } from './media.types';

/** Rejected media stay readable (with their reason) this long, then the sweep removes the record. */
const REJECTED_RETENTION_MS = 86_400_000;
/** A removal that has not finished after this long (a crash) is finished by the sweep. */
const STUCK_REMOVAL_MS = 5 * 60_000;
const SWEEP_BATCH = 100;

/**
 * Removing media, in an order that a crash at any point leaves repairable: the record is first
 * marked (readers stop seeing it), then the bucket is emptied of the media's objects (and an open
 * multipart upload aborted), then the quota reservation is given back (once: it is a conditional
 * delete), then the record goes. The sweep finishes removals left half done.
 */
@Injectable()
export class MediaRemovalService {
  private readonly logger = new Logger(MediaRemovalService.name);

  constructor(
    private readonly media: MediaRepository,
    private readonly objects: MediaObjectsRepository,
    private readonly quota: MediaQuotaRepository,
    private readonly clock: Clock,
  ) {}

  /** Empties the bucket of the media's objects and gives its quota back; the record stays. */
  async purgeStorage(media: Media): Promise<void> {
    if (media.multipart && media.status === MediaStatus.UPLOADING) {
      await this.objects.abortMultipart(media.key, media.multipart.uploadId);
    }
    await this.objects.deleteAll(tokenOfKey(media.key));
    await this.quota.release(media.ownerId, media.id);
  }

  /** A file that failed verification: nothing of it stays in the bucket, the quota is as before. */
  async reject(media: Media, reason: MediaRejectionReason, message: string): Promise<Media | null> {
    await this.purgeStorage(media);
    const now = this.clock.now();
    return this.media.markRejected(media.id, { reason, message }, now, new Date(now.getTime() + REJECTED_RETENTION_MS));
  }

  /** Finishes the removal of a record already marked as being removed. */
  async finish(media: Media): Promise<void> {
    await this.purgeStorage(media);
    await this.media.remove(media.id);
  }

  /** Marks and removes one media (its owner's or anyone's when `ownerId` is undefined); false when missing. */
  async remove(id: string, ownerId?: string): Promise<Media | null> {
    const media = await this.media.markDeleting(id, this.clock.now(), ownerId);
    if (!media) return null;
    await this.finish(media);
    return media;
  }

  /**
   * The `media.sweep` job: uploads never completed (their window closed), rejected records past
   * their retention, and removals a crash left half done. Returns how many were removed.
   */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const { expired, stuck } = await this.media.sweepCandidates(
      now,
      new Date(now.getTime() - STUCK_REMOVAL_MS),
      SWEEP_BATCH,
    );
    let removed = 0;
    for (const id of expired) {
      const media = await this.media.markExpiredDeleting(id, now);
      if (!media) continue;
      await this.finish(media);
      removed++;
    }
    for (const id of stuck) {
      if (await this.remove(id)) removed++;
    }
    if (removed) this.logger.log(`media sweep removed ${removed} item(s)`);
    return removed;
  }

  /** Every media of a user (account deletion); returns how many. Bounded per call: the caller repeats. */
  async removeAllOf(ownerId: string, batches = 50): Promise<{ removed: number; done: boolean }> {
    let removed = 0;
    for (let batch = 0; batch < batches; batch++) {
      const ids = await this.media.idsOfOwner(ownerId, SWEEP_BATCH);
      if (ids.length === 0) return { removed, done: true };
      for (const id of ids) if (await this.remove(id)) removed++;
    }
    return { removed, done: false };
  }
}
