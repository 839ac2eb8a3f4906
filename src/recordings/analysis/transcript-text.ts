import type { Side, TranscriptToken, TranscriptUtterance } from './analysis.types';

export interface Sentence {
  speaker: string;
  start: number;
  end: number;
  text: string;
  words: number;
}

/** Joins tokens into text: punctuation attaches to the word before it. */
function join(tokens: TranscriptToken[]): string {
  let text = '';
  for (const t of tokens) text += t.type === 'punctuation' || !text ? t.content : ` ${t.content}`;
  return text;
}

/** Sentences of the transcript: a speaker change or sentence-ending punctuation ends one. */
export function sentencesOf(tokens: TranscriptToken[]): Sentence[] {
  const out: Sentence[] = [];
  let current: TranscriptToken[] = [];
  const flush = () => {
    const words = current.filter((t) => t.type === 'word');
    if (words.length) {
      out.push({
        speaker: words[0].speaker,
        start: current[0].start,
        end: current[current.length - 1].end,
        text: join(current),
        words: words.length,
      });
    }
    current = [];
  };
  for (const t of tokens) {
    if (current.length && t.type === 'word' && t.speaker !== current[0].speaker) flush();
    current.push(t);
    if (t.type === 'punctuation' && (t.eos || /[.?!]/.test(t.content))) flush();
  }
  flush();
  return out;
}

/** Consecutive sentences of one speaker as utterances, with the speaker as a side. */
export function utterancesOf(sentences: Sentence[], sideOf: (speaker: string) => Side): TranscriptUtterance[] {
  const out: TranscriptUtterance[] = [];
  for (const s of sentences) {
    const speaker = sideOf(s.speaker);
    const last = out[out.length - 1];
    if (last && last.speaker === speaker && s.start - last.end < 2) {
      last.end = s.end;
      last.text = `${last.text} ${s.text}`;
    } else out.push({ speaker, start: s.start, end: s.end, text: s.text });
  }
  return out;
}

/** A sentence is a question when it ends with a question mark. */
export function isQuestion(s: Sentence): boolean {
  return s.text.trim().endsWith('?');
}
