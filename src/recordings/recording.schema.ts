import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { LessonAnalysis, TranscriptInput } from './analysis/analysis.types';
import { RecordingState } from './recording.types';

/** One recording per lesson (`_id` is the lesson id), with its transcription job, transcript and insights. */
@Schema({ collection: 'lesson_recordings', versionKey: false })
export class LessonRecordingDoc {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) mediaId: string;
  @Prop({ required: true }) teacherId: string;
  @Prop({ required: true }) studentId: string;
  @Prop({ required: true }) attachedBy: string;
  @Prop({ type: String, required: true }) state: RecordingState;
  @Prop({ required: true }) language: string;
  @Prop({ type: String, default: null }) provider: string | null;
  @Prop({ type: String, default: null }) jobId: string | null;
  /** The vendor is failing (429/5xx/unreachable) and the job is being retried; the last error. */
  @Prop({ type: Date, default: null }) retryingSince: Date | null;
  @Prop({ type: String, default: null }) lastError: string | null;
  @Prop({ type: String, default: null }) failureReason: string | null;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) transcript: TranscriptInput | null;
  @Prop({ type: MongooseSchema.Types.Mixed, default: null }) insights: LessonAnalysis | null;
  /** Indexes of the insights' assignments the student ticked as practised. */
  @Prop({ type: [Number], default: [] }) assignmentsDone: number[];
  @Prop({ required: true }) attachedAt: Date;
  @Prop({ required: true }) updatedAt: Date;
  /** When the retention job deletes it. */
  @Prop({ required: true }) expiresAt: Date;
}
export const LessonRecordingSchema = SchemaFactory.createForClass(LessonRecordingDoc);
LessonRecordingSchema.index({ expiresAt: 1 });
// A student's assignments and progress across lessons, newest first (the lesson id breaks ties).
LessonRecordingSchema.index({ studentId: 1, state: 1, attachedAt: -1, _id: -1 });

/** A user's consent to recordings: of one lesson (`lessonId`) or standing (`lessonId` null). */
@Schema({ collection: 'recording_consents', versionKey: false })
export class RecordingConsentDoc {
  /** `userId|lessonId`, or `userId|*` for the standing consent. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) userId: string;
  @Prop({ type: String, default: null }) lessonId: string | null;
  @Prop({ required: true }) grantedAt: Date;
}
export const RecordingConsentSchema = SchemaFactory.createForClass(RecordingConsentDoc);
RecordingConsentSchema.index({ userId: 1 });
