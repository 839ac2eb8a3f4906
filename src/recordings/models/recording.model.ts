import { Field, ID, ObjectType } from '@nestjs/graphql';
import { RecordingState } from '../recording.types';

@ObjectType('RecordingConsent', { description: 'Your consent to lesson recordings.' })
export class RecordingConsentModel {
  @Field(() => ID, { nullable: true, description: 'The lesson asked about (null: only the standing consent).' })
  lessonId: string | null;

  @Field({ description: 'You consent to the recording of all your lessons until you revoke it.' })
  standing: boolean;

  @Field({ description: 'You consent to the recording of this lesson.' })
  lesson: boolean;
}

@ObjectType('LessonRecording', {
  description: "A lesson's recording and where its transcription and analysis are. Its participants (and admins) only.",
})
export class LessonRecordingModel {
  @Field(() => ID, { description: 'The lesson recorded.' })
  lessonId: string;

  @Field(() => ID, { description: 'The audio or video file (a LESSON_RECORDING media).' })
  mediaId: string;

  @Field(() => RecordingState, { description: 'Where the processing is.' })
  state: RecordingState;

  @Field({ description: 'TRANSCRIBING: the provider is failing and the job is being retried with backoff.' })
  retrying: boolean;

  @Field(() => String, { nullable: true, description: 'The last provider error while retrying.' })
  lastError: string | null;

  @Field(() => String, { nullable: true, description: 'FAILED: why (the provider’s reason, or our analysis’).' })
  failureReason: string | null;

  @Field({ description: 'ISO 639-1 language it is transcribed in (the teacher’s first language, else en).' })
  language: string;

  @Field(() => Date, { description: 'When it was attached.' })
  attachedAt: Date;

  @Field(() => Date, { description: 'When the retention job deletes it with its transcript and insights.' })
  expiresAt: Date;
}
