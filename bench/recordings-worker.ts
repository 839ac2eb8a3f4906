/**
 * Child process of bench/recordings.bench.ts (not a benchmark itself): analyses one recording as
 * the `recordings.analyse` job does (ffmpeg decoding streamed, features, analysis) in a fresh
 * process, so that its wall time and peak memory are the analysis' own, not the benchmark's.
 *
 * Usage: node -r ts-node/register/transpile-only bench/recordings-worker.ts AUDIO TRANSCRIPT_JSON
 * Prints one JSON line: { wallMs, durationSeconds, maxRssKiB, playing, assignments }.
 */
import { readFileSync } from 'node:fs';
import type { TranscriptInput } from '../src/recordings/analysis/analysis.types';
import { analyseFeatures, extractFeatures } from '../src/recordings/analysis/lesson-analysis';

async function main(): Promise<void> {
  const [audio, transcriptFile] = process.argv.slice(2);
  if (!audio || !transcriptFile) throw new Error('usage: recordings-worker.ts AUDIO TRANSCRIPT_JSON');
  const transcript = JSON.parse(readFileSync(transcriptFile, 'utf8')) as TranscriptInput;
  const start = process.hrtime.bigint();
  const { features, durationSeconds } = await extractFeatures(audio);
  const analysis = analyseFeatures(features, durationSeconds, transcript);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(
    `${JSON.stringify({
      wallMs,
      durationSeconds,
      // ru_maxrss of this process (KiB on Linux): its peak, ffmpeg not included.
      maxRssKiB: process.resourceUsage().maxRSS,
      playing: analysis.playing.length,
      assignments: analysis.assignments.length,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
