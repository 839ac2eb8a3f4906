import { parseFromTokenizer } from 'music-metadata';
import { StoreUnavailableError } from '@app/common';
import { isoBmffFacts } from './iso-bmff';
import type { ObjectTokenizer } from './media-objects.repository';

export interface AvFacts {
  durationSeconds: number;
  /** e.g. "MPEG 1 Layer 3", "PCM", "AAC", "opus" (music-metadata's names). */
  codec: string | null;
  container: string | null;
  width: number | null;
  height: number | null;
}

/** The file is not audio or video we can read (truncated, corrupt, no duration). */
export class AvProbeError extends Error {}

/**
 * Duration, codec and (for video) picture size from the container's headers, read through a
 * random-access tokenizer: a 2 GiB recording costs a few range reads, not a download.
 */
export async function probeAudioVideo(
  tokenizer: ObjectTokenizer,
  reopen: () => Promise<ObjectTokenizer>,
): Promise<AvFacts> {
  let meta;
  try {
    meta = await parseFromTokenizer(tokenizer, { skipCovers: true, skipPostHeaders: true, duration: false });
  } catch (err) {
    // A range read that failed is the store's fault, not the file's.
    if (err instanceof StoreUnavailableError) throw err;
    throw new AvProbeError(`the file does not parse as audio or video: ${(err as Error).message}`);
  }
  let duration = meta.format.duration;
  const video = meta.format.trackInfo?.find((t) => t.video)?.video;
  let width = video?.pixelWidth ?? null;
  let height = video?.pixelHeight ?? null;
  const mp4 = /isom|iso\d|mp4|m4v|m4a|qt|avc/i.test(meta.format.container ?? '');
  if (mp4) {
    // music-metadata reads sound tracks; the movie header has the duration and picture size of any.
    const movie = await isoBmffFacts(await reopen()).catch((err: unknown) => {
      if (err instanceof StoreUnavailableError) throw err;
      return null;
    });
    duration ??= movie?.durationSeconds;
    width ??= movie?.width ?? null;
    height ??= movie?.height ?? null;
  }
  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
    throw new AvProbeError('the file has no readable duration (truncated or not a media file)');
  }
  const codec = meta.format.codec ?? meta.format.trackInfo?.find((t) => t.codecName)?.codecName ?? null;
  return {
    durationSeconds: Math.round(duration * 1000) / 1000,
    codec: codec?.replace(/^<(.*)>$/, '$1') ?? null,
    container: meta.format.container ?? null,
    width,
    height,
  };
}
