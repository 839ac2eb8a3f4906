import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { searchFieldsOf } from './search/search-fields';
import type { SearchCriteria } from './search/search-criteria';
import { countPipeline, searchPipeline, SortField, sortValuesOf } from './search/search-pipeline';
import { TEACHER_PROFILE_MODEL, TeacherProfileDocument } from './teacher-profile.schema';
import { NO_PROFILE_MEDIA, type ProfileMedia, type TeacherProfile, type TeacherProfileContent } from './teacher.types';
import { ProfileExistsError, SlugTakenError } from './teachers.errors';

export interface SearchRow {
  profile: TeacherProfile;
  /** Values of the sort fields, the payload of the row's cursor. */
  sortValues: unknown[];
  /** Squared chord to `near` (see search/geo.ts), when the search had one. */
  chordSquared?: number;
}

/** Fields a content write sets: the content, the derived search fields and the display name. */
function contentFields(content: TeacherProfileContent, displayName: string) {
  const derived = searchFieldsOf(content, displayName);
  return {
    slug: content.slug,
    displayName,
    headline: content.headline,
    bio: content.bio,
    instruments: derived.instruments,
    genres: content.genres,
    languages: content.languages,
    formats: content.formats,
    location: content.location,
    geo: derived.geo,
    timeZone: content.timeZone,
    offerings: content.offerings,
    policies: content.policies,
    socialLinks: content.socialLinks,
    defaultMeetingUrl: content.defaultMeetingUrl ?? null,
    studioAddress: content.studioAddress ?? null,
    facetKeys: derived.facetKeys,
    search: derived.search,
  };
}

/** The complete stored form of a profile (also used by tests and the seed to insert in bulk). */
export function toDocument(profile: TeacherProfile): TeacherProfileDocument {
  return {
    _id: profile.id,
    ...contentFields(profile, profile.displayName),
    published: profile.published,
    publishedAt: profile.publishedAt,
    media: profile.media,
    ratingSum: profile.ratingAverage * profile.ratingCount,
    ratingCount: profile.ratingCount,
    ratingAverage: profile.ratingAverage,
    revision: profile.revision,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
  };
}

function toProfile(doc: TeacherProfileDocument): TeacherProfile {
  return {
    id: doc._id,
    slug: doc.slug,
    displayName: doc.displayName,
    headline: doc.headline ?? null,
    bio: doc.bio ?? null,
    instruments: (doc.instruments ?? []).map((i) => ({ name: i.name, levels: i.levels })),
    genres: doc.genres ?? [],
    languages: doc.languages ?? [],
    formats: doc.formats ?? [],
    location: doc.location
      ? {
          city: doc.location.city,
          region: doc.location.region ?? null,
          country: doc.location.country,
          latitude: doc.location.latitude,
          longitude: doc.location.longitude,
        }
      : null,
    timeZone: doc.timeZone,
    offerings: (doc.offerings ?? []).map((o) => ({
      durationMinutes: o.durationMinutes,
      priceMinor: o.priceMinor,
      currency: o.currency,
    })),
    policies: { ...doc.policies },
    socialLinks: (doc.socialLinks ?? []).map((l) => ({ network: l.network, url: l.url })),
    defaultMeetingUrl: doc.defaultMeetingUrl ?? null,
    studioAddress: doc.studioAddress ?? null,
    published: doc.published,
    publishedAt: doc.publishedAt ?? null,
    suspended: !!doc.suspension,
    media: {
      photoId: doc.media?.photoId ?? null,
      galleryIds: doc.media?.galleryIds ?? [],
      introVideoId: doc.media?.introVideoId ?? null,
      audioClipIds: doc.media?.audioClipIds ?? [],
    },
    ratingAverage: doc.ratingAverage ?? 0,
    ratingCount: doc.ratingCount ?? 0,
    revision: doc.revision,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** Which unique index a duplicate-key error came from (keyPattern from MongoDB, the message from others). */
function duplicateKeyOf(err: unknown): 'slug' | '_id' | null {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
  if (e?.code !== 11000) return null;
  if (e.keyPattern?.slug !== undefined || /index: slug_1\b/.test(e.message ?? '')) return 'slug';
  if (e.keyPattern?._id !== undefined || /index: _id_\b/.test(e.message ?? '')) return '_id';
  return null;
}

const LIST_PROJECTION = { search: 0, facetKeys: 0 } as const;

/** Teacher profiles in MongoDB: the only code that touches the collection. */
@Injectable()
export class TeacherProfilesRepository {
  constructor(@InjectModel(TEACHER_PROFILE_MODEL) private readonly model: Model<TeacherProfileDocument>) {}

  async findById(id: string): Promise<TeacherProfile | null> {
    const doc = await this.model.findById(id, LIST_PROJECTION).lean<TeacherProfileDocument>();
    return doc ? toProfile(doc) : null;
  }

  async findBySlug(slug: string): Promise<TeacherProfile | null> {
    const doc = await this.model.findOne({ slug }, LIST_PROJECTION).lean<TeacherProfileDocument>();
    return doc ? toProfile(doc) : null;
  }

  /** One query for a loader batch: results in key order, null where there is no profile. */
  async findByIds(ids: readonly string[]): Promise<Array<TeacherProfile | null>> {
    const docs = await this.model
      .find({ _id: { $in: [...new Set(ids)] } }, LIST_PROJECTION)
      .lean<TeacherProfileDocument[]>();
    const byId = new Map(docs.map((d) => [d._id, toProfile(d)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Creates a profile. Throws SlugTakenError or ProfileExistsError (a concurrent create won). */
  async insert(profile: TeacherProfile): Promise<TeacherProfile> {
    try {
      await this.model.collection.insertOne(toDocument(profile) as never);
      return profile;
    } catch (err) {
      const key = duplicateKeyOf(err);
      if (key === 'slug') throw new SlugTakenError();
      if (key === '_id') throw new ProfileExistsError();
      throw err;
    }
  }

  /**
   * Replaces the content of the profile if it is still at `expectedRevision`; null when it changed
   * meanwhile (or is gone), so the caller can re-read and retry. Throws SlugTakenError.
   */
  async replaceContent(
    id: string,
    expectedRevision: number,
    content: TeacherProfileContent,
    displayName: string,
    now: Date,
  ): Promise<TeacherProfile | null> {
    try {
      const doc = await this.model
        .findOneAndUpdate(
          { _id: id, revision: expectedRevision },
          { $set: { ...contentFields(content, displayName), updatedAt: now }, $inc: { revision: 1 } },
          { returnDocument: 'after', projection: LIST_PROJECTION },
        )
        .lean<TeacherProfileDocument>();
      return doc ? toProfile(doc) : null;
    } catch (err) {
      if (duplicateKeyOf(err) === 'slug') throw new SlugTakenError();
      throw err;
    }
  }

  /**
   * Publishes or unpublishes. With `expectedRevision`, only if the profile is still at that
   * revision (so publication never races an edit that makes the profile incomplete); null when not.
   */
  async setPublished(
    id: string,
    published: boolean,
    now: Date,
    expectedRevision?: number,
  ): Promise<TeacherProfile | null> {
    const filter: Record<string, unknown> = { _id: id };
    if (expectedRevision !== undefined) filter.revision = expectedRevision;
    const doc = await this.model
      .findOneAndUpdate(
        filter,
        { $set: { published, publishedAt: published ? now : null, updatedAt: now }, $inc: { revision: 1 } },
        { returnDocument: 'after', projection: LIST_PROJECTION },
      )
      .lean<TeacherProfileDocument>();
    return doc ? toProfile(doc) : null;
  }

  /**
   * The account was suspended: unpublish, remembering whether to publish again on reinstatement.
   * Conditional on the revision read; false when the profile changed meanwhile (re-read and retry).
   */
  async suspend(profile: TeacherProfile, now: Date): Promise<boolean> {
    const res = await this.model.updateOne(
      { _id: profile.id, revision: profile.revision },
      {
        $set: { published: false, suspension: { publishedBefore: profile.published, since: now }, updatedAt: now },
        $inc: { revision: 1 },
      },
    );
    return res.modifiedCount === 1;
  }

  /** The account was reinstated: the profile is published again if it was before. False on a race. */
  async reinstate(profile: TeacherProfile, publishedBefore: boolean, now: Date): Promise<boolean> {
    const res = await this.model.updateOne(
      { _id: profile.id, revision: profile.revision },
      {
        $set: {
          published: publishedBefore,
          publishedAt: publishedBefore ? (profile.publishedAt ?? now) : null,
          suspension: null,
          updatedAt: now,
        },
        $inc: { revision: 1 },
      },
    );
    return res.modifiedCount === 1;
  }

  /** Whether the profile was published when its account was suspended (undefined: not suspended). */
  async publishedBeforeSuspension(id: string): Promise<boolean | undefined> {
    const doc = await this.model.findById(id, { suspension: 1 }).lean<Pick<TeacherProfileDocument, 'suspension'>>();
    return doc?.suspension ? doc.suspension.publishedBefore : undefined;
  }

  /** Replaces some of the profile's media references; null when there is no profile. */
  async setMedia(id: string, changes: Partial<ProfileMedia>, now: Date): Promise<TeacherProfile | null> {
    const set: Record<string, unknown> = { updatedAt: now };
    for (const [field, value] of Object.entries(changes)) if (value !== undefined) set[`media.${field}`] = value;
    const doc = await this.model
      .findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', projection: LIST_PROJECTION })
      .lean<TeacherProfileDocument>();
    return doc ? toProfile(doc) : null;
  }

  /** Takes one media out of the profile, wherever it is referenced (it is being deleted). */
  async removeMedia(id: string, mediaId: string, now: Date): Promise<void> {
    await this.model.bulkWrite([
      {
        updateOne: {
          filter: { _id: id, 'media.photoId': mediaId },
          update: { $set: { 'media.photoId': null, updatedAt: now } },
        },
      },
      {
        updateOne: {
          filter: { _id: id, 'media.introVideoId': mediaId },
          update: { $set: { 'media.introVideoId': null, updatedAt: now } },
        },
      },
      {
        updateOne: {
          filter: { _id: id },
          update: { $pull: { 'media.galleryIds': mediaId, 'media.audioClipIds': mediaId } },
        },
      },
    ]);
  }

  /** The profile shows no media any more (its account was deleted). */
  async clearMedia(id: string, now: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { media: { ...NO_PROFILE_MEDIA }, updatedAt: now } });
  }

  /** Sets the rating aggregate recomputed from the reviews (see ReviewsService.recomputeRating). */
  async setRating(teacherId: string, ratingSum: number, ratingCount: number): Promise<void> {
    await this.model.updateOne(
      { _id: teacherId },
      { $set: { ratingSum, ratingCount, ratingAverage: ratingCount > 0 ? ratingSum / ratingCount : 0 } },
    );
  }

  /** One page of published profiles for the criteria: a single aggregate command. */
  async search(
    criteria: SearchCriteria,
    sort: SortField[],
    after: readonly unknown[] | null,
    limit: number,
  ): Promise<SearchRow[]> {
    const docs = await this.model
      .aggregate<TeacherProfileDocument & { _d2?: number }>(searchPipeline(criteria, sort, after, limit))
      // The whole page in the first batch: no getMore round trip.
      .option({ batchSize: limit });
    return docs.map((doc) => ({
      profile: toProfile(doc),
      sortValues: sortValuesOf(doc as unknown as Record<string, unknown>, sort),
      chordSquared: doc._d2,
    }));
  }

  /** How many published profiles match the criteria (all pages). */
  async count(criteria: SearchCriteria): Promise<number> {
    const [row] = await this.model.aggregate<{ n: number }>(countPipeline(criteria));
    return row?.n ?? 0;
  }

  /**
   * Inserts the profiles whose id has none yet, leaving existing ones untouched (idempotent seed).
   * A profile whose slug someone else holds is skipped (counted as present), not an error.
   */
  async insertMissing(profiles: readonly TeacherProfile[]): Promise<{ created: number; alreadyPresent: number }> {
    if (profiles.length === 0) return { created: 0, alreadyPresent: 0 };
    const operations = profiles.map((p) => {
      const { _id, ...fields } = toDocument(p);
      return { updateOne: { filter: { _id: _id as never }, update: { $setOnInsert: fields }, upsert: true } };
    });
    let created: number;
    try {
      created = (await this.model.collection.bulkWrite(operations, { ordered: false })).upsertedCount;
    } catch (err) {
      const e = err as { writeErrors?: unknown; result?: { upsertedCount?: number } };
      const writeErrors = ([] as Array<{ code?: number }>).concat((e.writeErrors as never) ?? []);
      if (writeErrors.length === 0 || writeErrors.some((w) => w.code !== 11000) || !e.result) throw err;
      created = e.result.upsertedCount ?? 0;
    }
    return { created, alreadyPresent: profiles.length - created };
  }
}
