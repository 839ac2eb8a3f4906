import { registerEnumType } from '@nestjs/graphql';
import type { LessonAnalysis, TranscriptInput } from './analysis/analysis.types';

export enum RecordingState {
  TRANSCRIBING = 'TRANSCRIBING',
  ANALYSING = 'ANALYSING',
  READY = 'READY',
  FAILED = 'FAILED',
}
registerEnumType(RecordingState, {
  name: 'RecordingState',
  description: 'Where the processing of a lesson recording is.',
  valuesMap: {
    TRANSCRIBING: { description: 'At the transcription provider (retrying when `retrying` is true).' },
    ANALYSING: { description: 'Transcribed; our audio analysis is running.' },
    READY: { description: 'Insights are available.' },
    FAILED: { description: 'The provider rejected it or it could not be analysed; see failureReason.' },
  },
});

export interface LessonRecording {
  lessonId: string;
  mediaId: string;
  teacherId: string;
  studentId: string;
  attachedBy: string;
  state: RecordingState;
  language: string;
  provider: string | null;
  jobId: string | null;
  retryingSince: Date | null;
  lastError: string | null;
  failureReason: string | null;
  transcript: TranscriptInput | null;
  insights: LessonAnalysis | null;
  assignmentsDone: number[];
  attachedAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}
