import type {
  ConversationMeasures,
  LessonAnalysis,
  PlayingSegmentInsights,
  Shares,
  Side,
  TimelineSegment,
  TranscriptInput,
} from './analysis.types';
import { assignmentCueCount, extractAssignments } from './assignments';
import { decodeAudio } from './audio-decoder';
import { FrameAnalyzer, FRAME_SECONDS, SAMPLE_RATE, type FrameFeatures } from './frame-features';
import { keyOf } from './key';
import { intonationOf, isMonophonic, notesOf } from './notes';
import { onsetsOf, tempoOf } from './tempo';
import { buildTimeline, silenceThreshold, type SpokenWord } from './timeline';
import { isQuestion, sentencesOf, utterancesOf, type Sentence } from './transcript-text';

/** The recording holds no sound worth analysing (all of it below -60 dBFS). */
export class SilentAudioError extends Error {}

/** Pauses shorter than this do not end a teacher's monologue. */
const MONOLOGUE_PAUSE_SECONDS = 3;
const SILENT_DB = -60;

/** Decodes `source` with ffmpeg (streamed) and computes the per-frame features. */
export async function extractFeatures(source: string): Promise<{ features: FrameFeatures; durationSeconds: number }> {
  const analyzer = new FrameAnalyzer();
  let samples = 0;
  for await (const chunk of decodeAudio(source, SAMPLE_RATE)) {
    analyzer.push(chunk);
    samples += chunk.length;
  }
  return { features: analyzer.finish(), durationSeconds: samples / SAMPLE_RATE };
}

/** The whole analysis of one recording and its diarized transcript. */
export async function analyseLesson(source: string, transcript: TranscriptInput): Promise<LessonAnalysis> {
  const { features, durationSeconds } = await extractFeatures(source);
  return analyseFeatures(features, durationSeconds, transcript);
}

export function analyseFeatures(
  f: FrameFeatures,
  durationSeconds: number,
  transcript: TranscriptInput,
): LessonAnalysis {
  let loudest = -Infinity;
  for (let i = 0; i < f.count; i++) loudest = Math.max(loudest, f.rmsDb[i]);
  if (!(loudest > SILENT_DB)) throw new SilentAudioError('the recording is silent');

  const sentences = sentencesOf(transcript.tokens);
  const teacherSpeaker = pickTeacher(sentences);
  const sideOf = (speaker: string): Side => (speaker === teacherSpeaker ? 'TEACHER' : 'STUDENT');
  const words: SpokenWord[] = transcript.tokens
    .filter((t) => t.type === 'word')
    .map((t) => ({ start: t.start, end: t.end, side: sideOf(t.speaker) }));

  const { segments } = buildTimeline(f, words, transcript.music, durationSeconds);
  const threshold = silenceThreshold(f);
  const playing = segments.filter((s) => s.label === 'PLAYING').map((s) => playingInsights(f, s, threshold));
  const shares = sharesOf(segments, durationSeconds);
  const conversation = conversationOf(sentences, segments, sideOf);
  const assignments = extractAssignments(sentences, teacherSpeaker);
  const transcriptOut = utterancesOf(sentences, sideOf);
  return {
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    timeline: segments,
    shares,
    playing,
    conversation,
    assignments,
    transcript: transcriptOut,
    teacherSpeaker,
    summary: summaryOf(durationSeconds, shares, playing, assignments.length),
  };
}

/**
 * Which diarized speaker is the teacher: one microphone gives no names, so the one who talks more
 * and assigns the practice. Clients may show the transcript's sides; the choice is recorded.
 */
function pickTeacher(sentences: Sentence[]): string | null {
  const speakers = [...new Set(sentences.map((s) => s.speaker))];
  let best: string | null = null;
  let bestScore = -1;
  for (const sp of speakers) {
    const words = sentences.filter((s) => s.speaker === sp).reduce((n, s) => n + s.words, 0);
    const score = words + 20 * assignmentCueCount(sentences, sp);
    if (score > bestScore) {
      best = sp;
      bestScore = score;
    }
  }
  return best;
}

function playingInsights(f: FrameFeatures, s: TimelineSegment, threshold: number): PlayingSegmentInsights {
  const from = Math.max(0, Math.floor(s.start / FRAME_SECONDS));
  const to = Math.min(f.count, Math.ceil(s.end / FRAME_SECONDS));
  const monophonic = isMonophonic(f, from, to, threshold);
  const notes = notesOf(f, from, to);
  const tempo = tempoOf(onsetsOf(f, from, to, monophonic ? notes : []));
  const key = keyOf(f, from, to, notes, monophonic);
  const intonation = monophonic ? intonationOf(notes) : null;
  return {
    start: s.start,
    end: s.end,
    tempoBpm: tempo?.bpm ?? null,
    tempoSpreadBpm: tempo?.spreadBpm ?? null,
    tempoDriftBpm: tempo?.driftBpm ?? null,
    tempoStability: tempo?.stability ?? null,
    key: key?.key ?? null,
    keyStrength: key?.strength ?? null,
    monophonic,
    intonationMedianCents: intonation?.medianCents ?? null,
    intonationSpreadCents: intonation?.spreadCents ?? null,
    notesMeasured: monophonic ? notes.length : 0,
    notesOutOfTune: intonation?.outOfTune ?? [],
  };
}

function sharesOf(segments: TimelineSegment[], duration: number): Shares {
  const total = (label: TimelineSegment['label']) =>
    segments.filter((s) => s.label === label).reduce((sum, s) => sum + s.end - s.start, 0);
  const share = (seconds: number) => (duration > 0 ? Math.round((seconds / duration) * 1000) / 1000 : 0);
  return {
    teacherTalk: share(total('TEACHER_SPEAKING')),
    studentTalk: share(total('STUDENT_SPEAKING')),
    playing: share(total('PLAYING')),
    silence: share(total('SILENCE')),
  };
}

function conversationOf(
  sentences: Sentence[],
  segments: TimelineSegment[],
  sideOf: (speaker: string) => Side,
): ConversationMeasures {
  const measures = (side: Side) => {
    const label = side === 'TEACHER' ? 'TEACHER_SPEAKING' : 'STUDENT_SPEAKING';
    const mine = sentences.filter((s) => sideOf(s.speaker) === side);
    const words = mine.reduce((n, s) => n + s.words, 0);
    const seconds = segments.filter((s) => s.label === label).reduce((sum, s) => sum + s.end - s.start, 0);
    return {
      words,
      speakingSeconds: Math.round(seconds * 10) / 10,
      wordsPerMinute: seconds >= 5 ? Math.round((words / seconds) * 60) : null,
      questions: mine.filter(isQuestion).length,
    };
  };
  let longest = 0;
  let runStart: number | null = null;
  for (const s of segments) {
    if (s.label === 'TEACHER_SPEAKING') {
      runStart ??= s.start;
      longest = Math.max(longest, s.end - runStart);
    } else if (!(s.label === 'SILENCE' && s.end - s.start < MONOLOGUE_PAUSE_SECONDS)) runStart = null;
  }
  return {
    teacher: measures('TEACHER'),
    student: measures('STUDENT'),
    longestTeacherMonologueSeconds: Math.round(longest * 10) / 10,
  };
}

function summaryOf(duration: number, shares: Shares, playing: PlayingSegmentInsights[], assignments: number): string {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const minutes = Math.max(1, Math.round(duration / 60));
  const tempi = playing.filter((p) => p.tempoStability !== null);
  const steady = tempi.length
    ? `, tempo stability ${Math.round((tempi.reduce((s, p) => s + (p.tempoStability ?? 0), 0) / tempi.length) * 100)} %`
    : '';
  const tuned = playing.filter((p) => p.intonationMedianCents !== null);
  const tuning = tuned.length
    ? `, intonation within ${Math.round(Math.max(...tuned.map((p) => Math.abs(p.intonationMedianCents ?? 0))))} cents`
    : '';
  const tasks = assignments === 1 ? '1 practice assignment' : `${assignments} practice assignments`;
  return (
    `${minutes}-minute lesson: teacher talked ${pct(shares.teacherTalk)}, student talked ${pct(shares.studentTalk)}, ` +
    `playing ${pct(shares.playing)} in ${playing.length} ${playing.length === 1 ? 'passage' : 'passages'}${steady}${tuning}; ${tasks}.`
  );
}
