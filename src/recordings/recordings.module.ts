import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BookingsModule } from '../bookings/bookings.module';
import { AppConfig } from '../config/app-config';
import { MediaModule } from '../media/media.module';
import { TeachersModule } from '../teachers/teachers.module';
import {
  LessonRecordingDoc,
  LessonRecordingSchema,
  RecordingConsentDoc,
  RecordingConsentSchema,
} from './recording.schema';
import { RecordingConsentsRepository } from './recording-consents.repository';
import { RecordingUpdates } from './recording-updates.service';
import { RecordingsJobs } from './recordings.jobs';
import { RecordingsRepository } from './recordings.repository';
import { RecordingsResolver } from './recordings.resolver';
import { RecordingsService } from './recordings.service';
import { TranscriptionCallbackController } from './transcription-callback.controller';
import { TranscriptionFlowService } from './transcription-flow.service';
import { SpeechmaticsProvider } from './transcription/speechmatics.provider';
import { TRANSCRIPTION_PROVIDER } from './transcription/transcription.port';

/**
 * Lesson recordings: consent, attaching an uploaded recording to a lesson, transcription through
 * a provider port (Speechmatics), our music-aware analysis, insights for the two participants,
 * deletion on revocation and after the retention period (docs/decisions/0018).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: LessonRecordingDoc.name, schema: LessonRecordingSchema },
      { name: RecordingConsentDoc.name, schema: RecordingConsentSchema },
    ]),
    BookingsModule,
    MediaModule,
    TeachersModule,
  ],
  controllers: [TranscriptionCallbackController],
  providers: [
    {
      provide: TRANSCRIPTION_PROVIDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new SpeechmaticsProvider({
          baseUrl: config.speechmaticsUrl,
          apiKey: config.SPEECHMATICS_API_KEY ?? '',
        }),
    },
    RecordingsRepository,
    RecordingConsentsRepository,
    RecordingsService,
    RecordingUpdates,
    TranscriptionFlowService,
    RecordingsJobs,
    RecordingsResolver,
  ],
})
export class RecordingsModule {}
