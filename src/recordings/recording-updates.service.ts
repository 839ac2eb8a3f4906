import { Injectable } from '@nestjs/common';
import { SubscriptionFanout } from '../realtime/subscription-fanout';
import type { LessonRecording } from './recording.types';

const channel = (userId: string) => `lessonRecordings.${userId}`;

/** What the `lessonInsightsUpdated` subscription carries: the recording's state, without transcript or insights. */
export type RecordingUpdate = Omit<LessonRecording, 'transcript' | 'insights' | 'assignmentsDone'>;

/**
 * The `lessonInsightsUpdated` subscription: each change of a recording's state reaches both
 * participants (one channel per user) and nobody else. Best effort, after the change is stored
 * (SubscriptionFanout.notify); `lessonRecording` is the source of truth.
 */
@Injectable()
export class RecordingUpdates {
  constructor(private readonly bus: SubscriptionFanout) {}

  async published(recording: LessonRecording | null): Promise<void> {
    if (!recording) return;
    const { transcript: _t, insights: _i, assignmentsDone: _a, ...update } = recording;
    await Promise.all(
      [recording.teacherId, recording.studentId].map((id) =>
        this.bus.notify(channel(id), { lessonInsightsUpdated: update }),
      ),
    );
  }

  subscribe(userId: string) {
    return this.bus.subscribe<{ lessonInsightsUpdated: RecordingUpdate }>(channel(userId));
  }
}
