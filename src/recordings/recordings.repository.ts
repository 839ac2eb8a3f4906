import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { LessonAnalysis, TranscriptInput } from './analysis/analysis.types';
import { LessonRecordingDoc } from './recording.schema';
import { LessonRecording, RecordingState } from './recording.types';

/** Where a page of a student's recordings starts (newest-first order). */
export interface RecordingPosition {
  attachedAt: Date;
  lessonId: string;
}

function toRecording(doc: LessonRecordingDoc): LessonRecording {
  const { _id, ...rest } = doc;
  return { lessonId: _id, ...rest, assignmentsDone: doc.assignmentsDone ?? [] };
}

/**
 * Lesson recordings in MongoDB, one document per lesson. Every change of state is one conditional
 * update on the state it leaves, so a late callback, a poll and a deletion cannot interleave into
 * a half-written record.
 */
@Injectable()
export class RecordingsRepository {
  constructor(@InjectModel(LessonRecordingDoc.name) private readonly model: Model<LessonRecordingDoc>) {}

  /** False when the lesson already has one. */
  async insert(r: LessonRecording): Promise<boolean> {
    const { lessonId, ...rest } = r;
    try {
      await this.model.create({ _id: lessonId, ...rest });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async get(lessonId: string): Promise<LessonRecording | null> {
    const doc = await this.model.findById(lessonId).lean<LessonRecordingDoc>();
    return doc ? toRecording(doc) : null;
  }

  async remove(lessonId: string): Promise<LessonRecording | null> {
    const doc = await this.model.findOneAndDelete({ _id: lessonId }).lean<LessonRecordingDoc>();
    return doc ? toRecording(doc) : null;
  }

  async submitted(lessonId: string, provider: string, jobId: string, now: Date): Promise<LessonRecording | null> {
    return this.transition(lessonId, RecordingState.TRANSCRIBING, {
      provider,
      jobId,
      retryingSince: null,
      lastError: null,
      updatedAt: now,
    });
  }

  /** The provider failed transiently: visible as retrying (since the first failure) with the last error. */
  async retrying(lessonId: string, error: string, now: Date): Promise<void> {
    // Two plain updates (mongo-java-server has no pipeline updates): the first failure sets the start.
    await this.model.updateOne(
      { _id: lessonId, state: RecordingState.TRANSCRIBING, retryingSince: null },
      { $set: { retryingSince: now } },
    );
    await this.model.updateOne(
      { _id: lessonId, state: RecordingState.TRANSCRIBING },
      { $set: { lastError: error, updatedAt: now } },
    );
  }

  async transcribed(lessonId: string, transcript: TranscriptInput, now: Date): Promise<LessonRecording | null> {
    return this.transition(lessonId, RecordingState.TRANSCRIBING, {
      state: RecordingState.ANALYSING,
      transcript,
      retryingSince: null,
      lastError: null,
      updatedAt: now,
    });
  }

  async analysed(lessonId: string, insights: LessonAnalysis, now: Date): Promise<LessonRecording | null> {
    return this.transition(lessonId, RecordingState.ANALYSING, {
      state: RecordingState.READY,
      insights,
      updatedAt: now,
    });
  }

  async failed(lessonId: string, from: RecordingState, reason: string, now: Date): Promise<LessonRecording | null> {
    return this.transition(lessonId, from, {
      state: RecordingState.FAILED,
      failureReason: reason,
      retryingSince: null,
      updatedAt: now,
    });
  }

  /** Ticks or unticks assignment `index` of a READY recording; null when there is none. */
  async setAssignmentDone(lessonId: string, index: number, done: boolean, now: Date): Promise<LessonRecording | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: lessonId, state: RecordingState.READY },
        {
          ...(done ? { $addToSet: { assignmentsDone: index } } : { $pull: { assignmentsDone: index } }),
          $set: { updatedAt: now },
        },
        { returnDocument: 'after' },
      )
      .lean<LessonRecordingDoc>();
    return doc ? toRecording(doc) : null;
  }

  /** READY recordings of a student (optionally with one teacher), newest first, insights included. */
  /**
   * A student's READY recordings, newest first (attachedAt, then lesson id, both descending: a
   * stable order for cursors), optionally only those with `teacherId`, only those with practice
   * assignments, and after `from` (or from it on, with `includeFrom`). At most `limit`, transcripts
   * left out.
   */
  async readyOfStudent(
    studentId: string,
    teacherId: string | null,
    limit: number,
    opts: { from?: RecordingPosition; includeFrom?: boolean; withAssignments?: boolean } = {},
  ): Promise<LessonRecording[]> {
    const { from, includeFrom = false, withAssignments = false } = opts;
    const docs = await this.model
      .find(
        {
          studentId,
          state: RecordingState.READY,
          ...(teacherId ? { teacherId } : {}),
          ...(withAssignments ? { 'insights.assignments.0': { $exists: true } } : {}),
          ...(from
            ? {
                $or: [
                  { attachedAt: { $lt: from.attachedAt } },
                  { attachedAt: from.attachedAt, _id: includeFrom ? { $lte: from.lessonId } : { $lt: from.lessonId } },
                ],
              }
            : {}),
        },
        { transcript: 0 },
      )
      .sort({ attachedAt: -1, _id: -1 })
      .limit(limit)
      .lean<LessonRecordingDoc[]>();
    return docs.map((d) => toRecording({ ...d, transcript: null }));
  }

  /** Lesson ids of recordings whose retention ended by `now`. */
  async expired(now: Date, limit: number): Promise<string[]> {
    const docs = await this.model
      .find({ expiresAt: { $lte: now } }, { _id: 1 })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean<Array<{ _id: string }>>();
    return docs.map((d) => d._id);
  }

  /** Lesson ids of the user's recordings (as teacher or student), for a revoked standing consent. */
  async lessonsOf(userId: string, limit: number): Promise<string[]> {
    const docs = await this.model
      .find({ $or: [{ teacherId: userId }, { studentId: userId }] }, { _id: 1 })
      .limit(limit)
      .lean<Array<{ _id: string }>>();
    return docs.map((d) => d._id);
  }

  private async transition(
    lessonId: string,
    from: RecordingState,
    set: Partial<LessonRecordingDoc>,
  ): Promise<LessonRecording | null> {
    const doc = await this.model
      .findOneAndUpdate({ _id: lessonId, state: from }, { $set: set }, { returnDocument: 'after' })
      .lean<LessonRecordingDoc>();
    return doc ? toRecording(doc) : null;
  }
}
