import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Paginated } from '@app/common';

export enum TimelineLabel {
  TEACHER_SPEAKING = 'TEACHER_SPEAKING',
  STUDENT_SPEAKING = 'STUDENT_SPEAKING',
  PLAYING = 'PLAYING',
  SILENCE = 'SILENCE',
}
registerEnumType(TimelineLabel, {
  name: 'TimelineLabel',
  description: 'What a stretch of a lesson recording was.',
  valuesMap: {
    TEACHER_SPEAKING: { description: 'The teacher talking.' },
    STUDENT_SPEAKING: { description: 'The student talking.' },
    PLAYING: { description: 'Music: an instrument or singing.' },
    SILENCE: { description: 'Neither talk nor music.' },
  },
});

export enum RecordingSpeaker {
  TEACHER = 'TEACHER',
  STUDENT = 'STUDENT',
}
registerEnumType(RecordingSpeaker, {
  name: 'RecordingSpeaker',
  description: 'Who spoke, as the analysis told the two voices apart.',
  valuesMap: {
    TEACHER: { description: "The lesson's teacher." },
    STUDENT: { description: "The lesson's student." },
  },
});

@ObjectType('TimelineSegment', { description: 'A stretch of the recording, seconds from its start.' })
export class TimelineSegmentModel {
  @Field(() => TimelineLabel, { description: 'What it was.' }) label: TimelineLabel;
  @Field(() => Float, { description: 'Start, seconds.' }) start: number;
  @Field(() => Float, { description: 'End, seconds.' }) end: number;
}

@ObjectType('LessonShares', { description: 'Fractions (0-1) of the recording.' })
export class SharesModel {
  @Field(() => Float, { description: 'The teacher speaking.' }) teacherTalk: number;
  @Field(() => Float, { description: 'The student speaking.' }) studentTalk: number;
  @Field(() => Float, { description: 'Playing.' }) playing: number;
  @Field(() => Float, { description: 'Silence.' }) silence: number;
}

@ObjectType('OffNote', { description: 'A note played more than 15 cents off equal temperament (A4 = 440 Hz).' })
export class OffNoteModel {
  @Field({ description: 'The nearest note, e.g. "C#4".' }) note: string;
  @Field(() => Float, { description: 'When, seconds.' }) at: number;
  @Field(() => Float, { description: 'Deviation in cents; + is sharp.' }) cents: number;
}

@ObjectType('PlayingSegment', { description: 'Tempo, key and intonation of a stretch of playing.' })
export class PlayingSegmentModel {
  @Field(() => Float, { description: 'Start, seconds.' }) start: number;
  @Field(() => Float, { description: 'End, seconds.' }) end: number;
  @Field(() => Float, { nullable: true, description: 'Tempo, BPM (null: too few onsets, e.g. a held note).' })
  tempoBpm: number | null;
  @Field(() => Float, { nullable: true, description: 'Spread of the beat-to-beat tempo, BPM.' })
  tempoSpreadBpm: number | null;
  @Field(() => Float, { nullable: true, description: 'Tempo at the end minus at the start, BPM.' })
  tempoDriftBpm: number | null;
  @Field(() => Float, { nullable: true, description: '1 = metronomic; 0 = spread of 10 % of the tempo or more.' })
  tempoStability: number | null;
  @Field(() => String, { nullable: true, description: 'E.g. "G major" (null: too few pitch classes).' })
  key: string | null;
  @Field({ description: 'One note at a time (intonation is measured only then).' }) monophonic: boolean;
  @Field(() => Float, { nullable: true, description: 'Median deviation from equal temperament, cents.' })
  intonationMedianCents: number | null;
  @Field(() => Float, { nullable: true, description: 'Interquartile range of the deviations, cents.' })
  intonationSpreadCents: number | null;
  @Field(() => Int, { description: 'Notes whose pitch was measured.' }) notesMeasured: number;
  @Field(() => [OffNoteModel], { description: 'Notes more than 15 cents off.' }) notesOutOfTune: OffNoteModel[];
}

@ObjectType('SpeakerMeasures', { description: 'How one side talked.' })
export class SpeakerMeasuresModel {
  @Field(() => Int, { description: 'Words spoken.' }) words: number;
  @Field(() => Float, { description: 'Seconds speaking.' }) speakingSeconds: number;
  @Field(() => Int, { nullable: true, description: 'Words per minute (null under 5 s of speech).' })
  wordsPerMinute: number | null;
  @Field(() => Int, { description: 'Questions asked.' }) questions: number;
}

@ObjectType('ConversationMeasures', { description: 'How the lesson was talked.' })
export class ConversationMeasuresModel {
  @Field(() => SpeakerMeasuresModel, { description: 'The teacher.' }) teacher: SpeakerMeasuresModel;
  @Field(() => SpeakerMeasuresModel, { description: 'The student.' }) student: SpeakerMeasuresModel;
  @Field(() => Float, { description: 'The longest stretch of teacher talk (pauses under 3 s included), seconds.' })
  longestTeacherMonologueSeconds: number;
}

@ObjectType('PracticeAssignment', { description: 'Practice the teacher assigned, found in the transcript.' })
export class PracticeAssignmentModel {
  @Field({ description: 'The sentence.' }) text: string;
  @Field(() => Float, { description: 'When it was said, seconds.' }) at: number;
  @Field(() => Float, { nullable: true, description: 'A tempo it names, BPM.' }) targetBpm: number | null;
}

@ObjectType('TranscriptUtterance', { description: 'A sentence of the transcript.' })
export class TranscriptUtteranceModel {
  @Field(() => RecordingSpeaker, { description: 'Who said it.' }) speaker: RecordingSpeaker;
  @Field(() => Float, { description: 'Start, seconds.' }) start: number;
  @Field(() => Float, { description: 'End, seconds.' }) end: number;
  @Field({ description: 'What was said.' }) text: string;
}

@ObjectType('LessonInsights', {
  description: 'What the analysis of a lesson recording found. Its participants (and admins) only.',
})
export class LessonInsightsModel {
  @Field(() => ID, { description: 'The lesson.' }) lessonId: string;
  @Field(() => Float, { description: 'Length of the recording, seconds.' }) durationSeconds: number;
  @Field({ description: 'One sentence for people.' }) summary: string;
  @Field(() => SharesModel, { description: 'Talk and play shares.' }) shares: SharesModel;
  @Field(() => [TimelineSegmentModel], { description: 'Who talked, who played, silence, in order.' })
  timeline: TimelineSegmentModel[];
  @Field(() => [PlayingSegmentModel], { description: 'Each stretch of playing.' }) playing: PlayingSegmentModel[];
  @Field(() => ConversationMeasuresModel, { description: 'Conversation measures.' })
  conversation: ConversationMeasuresModel;
  @Field(() => [PracticeAssignmentModel], { description: 'What to practise.' }) assignments: PracticeAssignmentModel[];
  @Field(() => [TranscriptUtteranceModel], { description: 'The transcript with speaker labels.' })
  transcript: TranscriptUtteranceModel[];
}

@ObjectType('StudentPracticeAssignment', {
  description: "An assignment from one of a student's recorded lessons, with its tick.",
})
export class StudentPracticeAssignmentModel {
  @Field(() => ID, { description: 'The lesson it was assigned in.' }) lessonId: string;
  @Field(() => Int, { description: 'Its position among the lesson’s assignments (for setPracticeAssignmentDone).' })
  index: number;
  @Field({ description: 'The sentence.' }) text: string;
  @Field(() => Float, { description: 'When in the recording it was said, seconds.' }) at: number;
  @Field(() => Float, { nullable: true, description: 'A tempo it names, BPM.' }) targetBpm: number | null;
  @Field({ description: 'The student ticked it as practised.' }) done: boolean;
  @Field(() => Date, { description: 'When the lesson’s recording was attached.' }) assignedAt: Date;
}

@ObjectType('LessonTrendPoint', { description: "One recorded lesson in a student's progress." })
export class LessonTrendPointModel {
  @Field(() => ID, { description: 'The lesson.' }) lessonId: string;
  @Field(() => Date, { description: 'When its recording was attached.' }) recordedAt: Date;
  @Field(() => Float, { description: 'Share of the lesson spent playing (0-1).' }) playShare: number;
  @Field(() => Float, { nullable: true, description: 'Mean tempo stability of the passages with a tempo (0-1).' })
  tempoStability: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Median of the passages’ absolute intonation deviations, cents (lower is more in tune).',
  })
  intonationCents: number | null;
}

@ObjectType('StudentPracticeAssignmentConnection', {
  description: "A page of a student's practice assignments, newest lesson first.",
})
export class StudentPracticeAssignmentConnection extends Paginated(StudentPracticeAssignmentModel, {
  nodeName: 'StudentPracticeAssignment',
}) {}

@ObjectType('LessonTrendPointConnection', { description: "A page of a student's progress, newest lesson first." })
export class LessonTrendPointConnection extends Paginated(LessonTrendPointModel, { nodeName: 'LessonTrendPoint' }) {}
