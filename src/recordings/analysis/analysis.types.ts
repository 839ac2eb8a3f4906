/**
 * The provider-neutral inputs and the result of the lesson analysis. Plain data: it crosses a
 * process boundary (the analysis runs in a child process) and is stored as is.
 */

export type Side = 'TEACHER' | 'STUDENT';
export type TimelineLabel = 'TEACHER_SPEAKING' | 'STUDENT_SPEAKING' | 'PLAYING' | 'SILENCE';

/** One token of a diarized transcript: a word or a punctuation mark, with the provider's speaker label. */
export interface TranscriptToken {
  type: 'word' | 'punctuation';
  content: string;
  start: number;
  end: number;
  /** The provider's label ("S1", "S2", "UU" for unknown). */
  speaker: string;
  /** Punctuation that ends a sentence. */
  eos?: boolean;
}

export interface TranscriptInput {
  language: string;
  tokens: TranscriptToken[];
  /** Music the provider heard (audio events). */
  music: Array<{ start: number; end: number; confidence: number }>;
}

export interface TimelineSegment {
  label: TimelineLabel;
  start: number;
  end: number;
}

export interface OffNote {
  /** The note played, e.g. "C#4" (the nearest in equal temperament). */
  note: string;
  at: number;
  cents: number;
}

export interface PlayingSegmentInsights {
  start: number;
  end: number;
  /** Null when the segment has too few note onsets to tell (a held note). */
  tempoBpm: number | null;
  /** Standard deviation of the beat-to-beat tempo, BPM. */
  tempoSpreadBpm: number | null;
  /** Tempo at the end minus tempo at the start of the segment (linear fit), BPM. */
  tempoDriftBpm: number | null;
  /** 1 = metronomic; 0 = beat-to-beat spread of 10 % of the tempo or more. */
  tempoStability: number | null;
  /** "G major", "E minor"; null when too few pitch classes were played to tell. */
  key: string | null;
  keyStrength: number | null;
  /** Whether one note sounded at a time (intonation is measured only then). */
  monophonic: boolean;
  /** Median deviation of the notes from equal temperament (A4 = 440 Hz), cents; + is sharp. */
  intonationMedianCents: number | null;
  /** Interquartile range of the notes' deviations, cents. */
  intonationSpreadCents: number | null;
  notesMeasured: number;
  notesOutOfTune: OffNote[];
}

export interface Shares {
  teacherTalk: number;
  studentTalk: number;
  playing: number;
  silence: number;
}

export interface SpeakerMeasures {
  words: number;
  speakingSeconds: number;
  wordsPerMinute: number | null;
  questions: number;
}

export interface ConversationMeasures {
  teacher: SpeakerMeasures;
  student: SpeakerMeasures;
  longestTeacherMonologueSeconds: number;
}

export interface ExtractedAssignment {
  text: string;
  at: number;
  targetBpm: number | null;
}

export interface TranscriptUtterance {
  speaker: Side;
  start: number;
  end: number;
  text: string;
}

export interface LessonAnalysis {
  durationSeconds: number;
  timeline: TimelineSegment[];
  shares: Shares;
  playing: PlayingSegmentInsights[];
  conversation: ConversationMeasures;
  assignments: ExtractedAssignment[];
  transcript: TranscriptUtterance[];
  /** Which provider speaker label is the teacher (null when nobody spoke). */
  teacherSpeaker: string | null;
  summary: string;
}
