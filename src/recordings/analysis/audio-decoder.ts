import { spawn } from 'node:child_process';

/** What ffprobe says about a recording before it is decoded. */
export interface AudioProbe {
  durationSeconds: number;
  formatName: string;
  codec: string | null;
}

/** The recording cannot be read as audio (not a media file, truncated, no audio stream). */
export class UnreadableAudioError extends Error {}

/** Reads the container's duration and audio codec; fails with UnreadableAudioError on a file ffprobe cannot parse. */
export async function probeAudio(source: string): Promise<AudioProbe> {
  const { code, stdout, stderr } = await capture('ffprobe', [
    '-v', 'error', '-show_entries', 'format=duration,format_name:stream=codec_type,codec_name', '-of', 'json', source,
  ]); // prettier-ignore
  if (code !== 0) throw new UnreadableAudioError(firstLine(stderr) || 'ffprobe could not read the file');
  const parsed = JSON.parse(stdout) as {
    format?: { duration?: string; format_name?: string };
    streams?: Array<{ codec_type?: string; codec_name?: string }>;
  };
  const audio = parsed.streams?.find((s) => s.codec_type === 'audio');
  if (!audio) throw new UnreadableAudioError('the file has no audio stream');
  const durationSeconds = Number(parsed.format?.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0)
    throw new UnreadableAudioError('the file has no readable duration');
  return { durationSeconds, formatName: parsed.format?.format_name ?? 'unknown', codec: audio.codec_name ?? null };
}

/**
 * Decodes `source` (a path or an http(s) URL, e.g. a presigned GET) to mono float samples at
 * `sampleRate` with ffmpeg, as a stream of chunks: the recording is never held in memory whole.
 * The iterator fails with UnreadableAudioError when ffmpeg reports a corrupt stream.
 */
export async function* decodeAudio(source: string, sampleRate: number): AsyncGenerator<Float32Array> {
  const ffmpeg = spawn(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-xerror', '-i', source, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  ); // prettier-ignore
  let stderr = '';
  ffmpeg.stderr.setEncoding('utf8');
  ffmpeg.stderr.on('data', (d: string) => {
    if (stderr.length < 4000) stderr += d;
  });
  const exited = new Promise<number>((resolve, reject) => {
    ffmpeg.once('error', reject);
    ffmpeg.once('close', (code) => resolve(code ?? 1));
  });
  let rest: Buffer | null = null;
  try {
    for await (const chunk of ffmpeg.stdout as AsyncIterable<Buffer>) {
      const bytes: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      const usable = bytes.length - (bytes.length % 4);
      rest = usable < bytes.length ? Buffer.from(bytes.subarray(usable)) : null;
      if (usable === 0) continue;
      // Copy into an aligned buffer: a Buffer's offset in its pool need not be a multiple of 4.
      const samples = new Float32Array(usable / 4);
      new Uint8Array(samples.buffer).set(bytes.subarray(0, usable));
      yield samples;
    }
    const code = await exited;
    if (code !== 0) throw new UnreadableAudioError(firstLine(stderr) || `ffmpeg exited with code ${code}`);
  } finally {
    if (ffmpeg.exitCode === null) ffmpeg.kill('SIGKILL');
  }
}

function capture(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 300) ?? '';
}
