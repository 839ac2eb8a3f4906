import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildLesson, SHORT_LESSON } from '@app/testing/lesson-audio';
import { callbackToken, callbackTokenValid } from './callback-signature';
import { SpeechmaticsProvider } from './speechmatics.provider';
import { TranscriptionRefusedError, TranscriptionUnavailableError } from './transcription.port';

/** Against the local Speechmatics server the test setup starts (the same protocol as the real one). */
describe('SpeechmaticsProvider (Batch API v2 over HTTP)', () => {
  const baseUrl = process.env.SPEECHMATICS_URL!;
  const apiKey = process.env.SPEECHMATICS_API_KEY!;
  const sleeps: number[] = [];
  const provider = new SpeechmaticsProvider({
    baseUrl,
    apiKey,
    attempts: 3,
    baseDelayMs: 10,
    sleep: async (ms) => void sleeps.push(ms),
  });
  const files = new Map<string, Buffer>();
  const callbacks: Array<{ url: URL; authorization?: string; body: any }> = [];
  let waiting: Array<() => void> = [];
  let server: Server;
  let origin: string;

  const faults = (status: number, count: number) =>
    fetch(`${baseUrl}/_local/faults`, { method: 'POST', body: JSON.stringify({ status, count }) });
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString();
  };
  /** Resolves when `n` callbacks have arrived (the jest timeout bounds the wait). */
  const callbacksArrived = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => (callbacks.length >= n ? resolve() : waiting.push(check));
      check();
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url!, 'http://local');
        if (req.method === 'GET' && files.has(url.pathname)) return res.end(files.get(url.pathname));
        if (req.method === 'POST' && url.pathname === '/callback') {
          callbacks.push({ url, authorization: req.headers.authorization, body: JSON.parse(await body(req)) });
          res.end('ok');
          const w = waiting;
          waiting = [];
          w.forEach((f) => f());
          return;
        }
        res.statusCode = 404;
        res.end();
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await faults(0, 0);
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    sleeps.length = 0;
  });

  it('transcribes a lesson fetched by URL: diarized words, sentence ends, music events, a signed callback', async () => {
    const lesson = buildLesson('provider', SHORT_LESSON);
    files.set('/lesson.wav', readFileSync(lesson.file));
    const secret = 'x'.repeat(32);
    const before = callbacks.length;
    const { jobId } = await provider.submit({
      audioUrl: `${origin}/lesson.wav`,
      language: 'en',
      callback: { url: `${origin}/callback?recording=rec1`, authorization: `Bearer ${callbackToken(secret, 'rec1')}` },
    });
    await callbacksArrived(before + 1);
    const cb = callbacks[before];
    expect(cb.url.searchParams.get('id')).toBe(jobId);
    expect(cb.url.searchParams.get('status')).toBe('success');
    expect(cb.url.searchParams.get('recording')).toBe('rec1');
    expect(callbackTokenValid(secret, 'rec1', cb.authorization)).toBe(true);
    expect(callbackTokenValid(secret, 'rec2', cb.authorization)).toBe(false);
    expect(callbackTokenValid('y'.repeat(32), 'rec1', cb.authorization)).toBe(false);

    const status = await provider.status(jobId);
    expect(status).toEqual({ state: 'DONE', durationSeconds: Math.round(lesson.truth.durationSeconds) });
    const transcript = await provider.transcript(jobId);
    expect(transcript.language).toBe('en');
    const words = transcript.tokens.filter((t) => t.type === 'word');
    expect(new Set(words.map((w) => w.speaker))).toEqual(new Set(['S1', 'S2']));
    expect(words.map((w) => w.content).join(' ')).toContain('practise the G major scale at 100 BPM');
    expect(transcript.tokens.filter((t) => t.eos).length).toBeGreaterThanOrEqual(8);
    for (const w of words) expect(w.end).toBeGreaterThan(w.start);
    // The scale, the held A and the melody are heard as music.
    const musicSeconds = transcript.music.reduce((s, m) => s + m.end - m.start, 0);
    const playedSeconds = lesson.truth.playing.reduce((s, p) => s + p.end - p.start, 0);
    expect(musicSeconds).toBeGreaterThan(playedSeconds * 0.7);

    await provider.remove(jobId);
    await expect(provider.status(jobId)).rejects.toMatchObject({ status: 404 });
    await provider.remove(jobId); // already gone: not an error
  });

  it('retries 429 with backoff, waiting at least what Retry-After asks', async () => {
    await faults(429, 2);
    files.set('/noise.wav', randomBytes(1000));
    const { jobId } = await provider.submit({ audioUrl: `${origin}/noise.wav`, language: 'en' });
    expect(jobId).toMatch(/^[0-9a-f]+$/);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('retries 5xx with doubling delays, then reports the vendor unavailable', async () => {
    await faults(503, 5);
    const err = await provider.status('anything').catch((e: unknown) => e);
    await faults(0, 0);
    expect(err).toBeInstanceOf(TranscriptionUnavailableError);
    expect(err).toMatchObject({ status: 503 });
    expect(sleeps).toEqual([10, 20]);
  });

  it('does not retry a refusal: a wrong API key is reported at once', async () => {
    const wrong = new SpeechmaticsProvider({ baseUrl, apiKey: 'wrong', sleep: async (ms) => void sleeps.push(ms) });
    const err = await wrong.status('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TranscriptionRefusedError);
    expect(err).toMatchObject({ status: 401, reason: expect.stringMatching(/Permission Denied/) });
    expect(sleeps).toEqual([]);
  });

  it('reports a rejected job with the reason the vendor gives (audio that is no audio)', async () => {
    files.set('/corrupt.wav', Buffer.concat([Buffer.from('RIFF'), randomBytes(4000)]));
    const before = callbacks.length;
    const { jobId } = await provider.submit({
      audioUrl: `${origin}/corrupt.wav`,
      language: 'en',
      callback: { url: `${origin}/callback?recording=rec3`, authorization: 'Bearer t' },
    });
    await callbacksArrived(before + 1);
    expect(callbacks[before].url.searchParams.get('status')).toBe('error');
    const status = await provider.status(jobId);
    expect(status).toEqual({ state: 'REJECTED', reason: expect.stringMatching(/invalid audio/) });
    await expect(provider.transcript(jobId)).rejects.toBeInstanceOf(TranscriptionRefusedError);
  });
});
