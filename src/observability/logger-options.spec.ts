import 'reflect-metadata';
import { PassThrough } from 'node:stream';
import pino, { type DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';
import { loggerOptions } from './logger-options';

/** A stand-in for process.stdout that records what is written and says whether it is a terminal. */
function terminal(isTTY: boolean): PassThrough & { isTTY: boolean; text: () => string } {
  const out = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  out.on('data', (chunk) => (text += String(chunk)));
  return Object.assign(out, { text: () => text });
}

function config(values: Partial<AppConfig>): AppConfig {
  return Object.assign(new AppConfig(), values);
}

function streamOf(options: ReturnType<typeof loggerOptions>): DestinationStream | undefined {
  return (options.pinoHttp as { stream?: DestinationStream }).stream;
}

/** Logs one line through the options' stream and resolves with what reached the terminal. */
async function logThrough(stream: DestinationStream, out: ReturnType<typeof terminal>): Promise<string> {
  pino({ level: 'info' }, stream).info({ context: 'Probe', requestId: 'req-1' }, 'hello from a probe');
  for (let i = 0; i < 50 && !out.text().includes('\n'); i++) await new Promise((r) => setTimeout(r, 10));
  return out.text();
}

describe('loggerOptions', () => {
  it('writes human-readable lines for a developer at a terminal (NODE_ENV=development, stdout a TTY)', async () => {
    const out = terminal(true);
    const stream = streamOf(loggerOptions(config({ NODE_ENV: 'development' }), out));
    expect(stream).toBeDefined();
    const text = await logThrough(stream!, out);
    expect(text).toContain('hello from a probe');
    expect(text).toContain('[Probe]');
    expect(text).toContain('req-1');
    expect(() => JSON.parse(text.split('\n')[0])).toThrow();
  });

  it.each([
    ['development, stdout not a terminal', { NODE_ENV: 'development' as const }, false],
    ['production at a terminal', { NODE_ENV: 'production' as const }, true],
    ['test at a terminal', { NODE_ENV: 'test' as const }, true],
  ])('keeps JSON lines on stdout for %s', (_, values, isTTY) => {
    expect(streamOf(loggerOptions(config(values), terminal(isTTY)))).toBeUndefined();
  });
});
