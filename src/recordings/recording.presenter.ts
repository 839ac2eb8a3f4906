import type { LessonAnalysis } from './analysis/analysis.types';
import type { LessonInsightsModel, RecordingSpeaker, TimelineLabel } from './models/insights.model';
import type { LessonRecordingModel } from './models/recording.model';
import type { LessonRecording } from './recording.types';

export function presentRecording(r: LessonRecording): LessonRecordingModel {
  return {
    lessonId: r.lessonId,
    mediaId: r.mediaId,
    state: r.state,
    retrying: r.retryingSince !== null,
    lastError: r.lastError,
    failureReason: r.failureReason,
    language: r.language,
    attachedAt: r.attachedAt,
    expiresAt: r.expiresAt,
  };
}

export function presentInsights(lessonId: string, a: LessonAnalysis): LessonInsightsModel {
  return {
    lessonId,
    durationSeconds: a.durationSeconds,
    summary: a.summary,
    shares: a.shares,
    timeline: a.timeline.map((s) => ({ ...s, label: s.label as TimelineLabel })),
    playing: a.playing,
    conversation: a.conversation,
    assignments: a.assignments,
    transcript: a.transcript.map((u) => ({ ...u, speaker: u.speaker as RecordingSpeaker })),
  };
}
