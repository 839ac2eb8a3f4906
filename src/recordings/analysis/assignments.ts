import type { ExtractedAssignment } from './analysis.types';
import { isQuestion, type Sentence } from './transcript-text';

/**
 * Cues that a teacher's sentence assigns practice ("for next week, practise …", "homework",
 * "work on …", "I want you to …"). Questions ("did you practise?") and past tense ("you
 * practised") do not assign anything and are left out.
 */
const CUES = [
  /\bpracti[sc]e\b(?!d)/i,
  /\bhomework\b/i,
  /\bassignment\b/i,
  /\b(for|by|until|before) (the |our )?next (week|time|lesson)\b/i,
  /\bnext week\b/i,
  /\bwork on\b/i,
  /\b(every|each) (day|morning|evening)\b/i,
  /\bi want you to\b/i,
  /\bmake sure (you|to)\b/i,
];
const BPM = /\b(\d{2,3})\s*(bpm|beats per minute)\b/i;

/** The teacher's sentences that assign practice, in order, with a target tempo when one is named. */
export function extractAssignments(sentences: Sentence[], teacherSpeaker: string | null): ExtractedAssignment[] {
  if (!teacherSpeaker) return [];
  return sentences
    .filter((s) => s.speaker === teacherSpeaker && !isQuestion(s) && CUES.some((cue) => cue.test(s.text)))
    .map((s) => {
      const bpm = BPM.exec(s.text);
      return { text: s.text.trim(), at: s.start, targetBpm: bpm ? Number(bpm[1]) : null };
    });
}

/** How strongly a speaker sounds like the teacher: their sentences that assign practice. */
export function assignmentCueCount(sentences: Sentence[], speaker: string): number {
  return sentences.filter((s) => s.speaker === speaker && !isQuestion(s) && CUES.some((c) => c.test(s.text))).length;
}
