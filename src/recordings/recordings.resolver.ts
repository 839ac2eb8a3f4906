import { Args, ID, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { connectionFromPage, IdArg, pageSizeOf } from '@app/common';
import { CurrentViewer } from '../auth/guards/auth.decorators';
import type { Viewer } from '../auth/viewer';
import {
  AttachRecordingArgs,
  PracticeAssignmentsArgs,
  SetAssignmentDoneArgs,
  SetRecordingConsentArgs,
  StudentProgressArgs,
} from './dto/recording.inputs';
import {
  LessonInsightsModel,
  LessonTrendPointConnection,
  StudentPracticeAssignmentConnection,
  StudentPracticeAssignmentModel,
} from './models/insights.model';
import { LessonRecordingModel, RecordingConsentModel } from './models/recording.model';
import { presentInsights, presentRecording } from './recording.presenter';
import { type RecordingUpdate, RecordingUpdates } from './recording-updates.service';
import { type LessonRecording, RecordingState } from './recording.types';
import { RecordingsService } from './recordings.service';

@Resolver()
export class RecordingsResolver {
  constructor(
    private readonly recordings: RecordingsService,
    private readonly updates: RecordingUpdates,
  ) {}

  @Query(() => RecordingConsentModel, { description: 'Your recording consent: standing, and for a lesson of yours.' })
  async myRecordingConsent(
    @CurrentViewer() viewer: Viewer,
    @Args('lessonId', { type: () => ID, nullable: true, description: 'A lesson of yours.' }) lessonId?: string,
  ): Promise<RecordingConsentModel> {
    return this.recordings.consentOf(viewer, lessonId ?? null);
  }

  @Mutation(() => RecordingConsentModel, {
    description:
      'Grants or revokes your consent to recordings, for one lesson or standing. Revoking deletes the recordings it covered, with their transcripts and insights.',
  })
  async setRecordingConsent(
    @CurrentViewer() viewer: Viewer,
    @Args() args: SetRecordingConsentArgs,
  ): Promise<RecordingConsentModel> {
    return this.recordings.setConsent(viewer, args.lessonId ?? null, args.granted);
  }

  @Mutation(() => LessonRecordingModel, {
    description:
      'Teacher or student: attaches your READY LESSON_RECORDING upload to a lesson that has started, when both of you consent. Transcription and analysis follow in the background.',
  })
  async attachLessonRecording(
    @CurrentViewer() viewer: Viewer,
    @Args() args: AttachRecordingArgs,
  ): Promise<LessonRecordingModel> {
    return presentRecording(await this.recordings.attach(viewer, args.lessonId, args.mediaId));
  }

  @Mutation(() => Boolean, {
    description:
      'A participant deletes the recording with its audio, transcript and insights; false when there is none.',
  })
  deleteLessonRecording(@CurrentViewer() viewer: Viewer, @IdArg('lessonId', 'The lesson.') lessonId: string) {
    return this.recordings.delete(viewer, lessonId);
  }

  @Query(() => LessonRecordingModel, {
    nullable: true,
    description: "The lesson's recording and its processing state; null when none or not yours to see.",
  })
  async lessonRecording(
    @CurrentViewer() viewer: Viewer,
    @IdArg('lessonId', 'The lesson.') lessonId: string,
  ): Promise<LessonRecordingModel | null> {
    const r = await this.recordings.visible(viewer, lessonId);
    return r ? presentRecording(r) : null;
  }

  @Query(() => LessonInsightsModel, {
    nullable: true,
    description: 'What the analysis of the lesson recording found; null until READY, when none, or not yours to see.',
  })
  async lessonInsights(
    @CurrentViewer() viewer: Viewer,
    @IdArg('lessonId', 'The lesson.') lessonId: string,
  ): Promise<LessonInsightsModel | null> {
    const r = await this.recordings.visible(viewer, lessonId);
    return r?.state === RecordingState.READY && r.insights ? presentInsights(lessonId, r.insights) : null;
  }

  @Query(() => StudentPracticeAssignmentConnection, {
    description:
      "Practice assignments from a student's recorded lessons, newest lesson first, with the student's ticks.",
  })
  async practiceAssignments(
    @CurrentViewer() viewer: Viewer,
    @Args() args: PracticeAssignmentsArgs,
  ): Promise<StudentPracticeAssignmentConnection> {
    const page = await this.recordings.practiceAssignments(
      viewer,
      args.studentId ?? null,
      pageSizeOf(args),
      args.after,
    );
    return connectionFromPage(page, { hasPreviousPage: !!args.after, node: (a) => a });
  }

  @Query(() => LessonTrendPointConnection, {
    description:
      "A student's play share, tempo stability and intonation across recorded lessons, newest first: for their teacher (lessons with you), the student, admins.",
  })
  async studentProgress(
    @CurrentViewer() viewer: Viewer,
    @Args() args: StudentProgressArgs,
  ): Promise<LessonTrendPointConnection> {
    const page = await this.recordings.trend(viewer, args.studentId, pageSizeOf(args), args.after);
    return connectionFromPage(page, { hasPreviousPage: !!args.after, node: (p) => p });
  }

  @Mutation(() => StudentPracticeAssignmentModel, {
    description: "The lesson's student ticks (or unticks) one of its practice assignments.",
  })
  setPracticeAssignmentDone(@CurrentViewer() viewer: Viewer, @Args() args: SetAssignmentDoneArgs) {
    return this.recordings.setAssignmentDone(viewer, args.lessonId, args.index, args.done);
  }

  @Subscription(() => LessonRecordingModel, {
    description:
      "Each change of state of the recordings of the viewer's lessons (attached, retrying, analysing, ready, failed): then read lessonInsights.",
    resolve: (payload: { lessonInsightsUpdated: RecordingUpdate }) => {
      // Through Redis the dates arrive as strings.
      const r = payload.lessonInsightsUpdated;
      return presentRecording({
        ...r,
        retryingSince: r.retryingSince ? new Date(r.retryingSince) : null,
        attachedAt: new Date(r.attachedAt),
        updatedAt: new Date(r.updatedAt),
        expiresAt: new Date(r.expiresAt),
        transcript: null,
        insights: null,
        assignmentsDone: [],
      } satisfies LessonRecording);
    },
  })
  lessonInsightsUpdated(@CurrentViewer() viewer: Viewer) {
    return this.updates.subscribe(viewer.userId);
  }
}
