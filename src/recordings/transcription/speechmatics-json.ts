import type { TranscriptInput, TranscriptToken } from '../analysis/analysis.types';

/** The parts of Speechmatics' `json-v2` transcript this project reads. */
export interface SpeechmaticsJsonV2 {
  metadata?: { transcription_config?: { language?: string } };
  results?: Array<{
    type: string;
    start_time: number;
    end_time: number;
    is_eos?: boolean;
    alternatives?: Array<{ content: string; speaker?: string }>;
  }>;
  audio_events?: Array<{ type: string; start_time: number; end_time: number; confidence?: number }>;
}

/** json-v2 → the analysis' provider-neutral transcript (words, punctuation, speakers, music events). */
export function fromJsonV2(doc: SpeechmaticsJsonV2, fallbackLanguage: string): TranscriptInput {
  const tokens: TranscriptToken[] = [];
  for (const r of doc.results ?? []) {
    const alt = r.alternatives?.[0];
    if (!alt || (r.type !== 'word' && r.type !== 'punctuation')) continue;
    tokens.push({
      type: r.type,
      content: alt.content,
      start: r.start_time,
      end: r.end_time,
      speaker: alt.speaker ?? 'UU',
      ...(r.type === 'punctuation' && r.is_eos ? { eos: true } : {}),
    });
  }
  const music = (doc.audio_events ?? [])
    .filter((e) => e.type === 'music')
    .map((e) => ({ start: e.start_time, end: e.end_time, confidence: e.confidence ?? 1 }));
  return { language: doc.metadata?.transcription_config?.language ?? fallbackLanguage, tokens, music };
}
