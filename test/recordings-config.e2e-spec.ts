import { ConfigValidationError, loadConfig } from '../src/config/load-config';
import { exited, spawnServer } from './server-process';

/** The problems loadConfig reports about SPEECHMATICS_* for these settings (the rest of the environment left out). */
function speechmaticsProblems(env: Record<string, string>): string[] {
  const cleared = Object.fromEntries(Object.keys(process.env).map((k) => [k, undefined]));
  try {
    loadConfig({ ...cleared, ...env }, { readDotenv: false });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    return err.problems.filter((p) => p.startsWith('SPEECHMATICS_'));
  }
}

/** Production must not boot into a transcription flow that fails for every recording. */
describe('recordings configuration', () => {
  it('refuses to boot in production without SPEECHMATICS_API_KEY for the Speechmatics cloud', async () => {
    const server = spawnServer({ NODE_ENV: 'production' });
    expect(await exited(server)).toBe(78);
    expect(server.output()).toMatch(
      /SPEECHMATICS_API_KEY: missing; .*required in production with the Speechmatics cloud/,
    );
    expect(server.output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('needs the key in production only for the cloud URL, and accepts it whenever given', () => {
    const missing = [expect.stringMatching(/^SPEECHMATICS_API_KEY: missing; /)];
    expect(speechmaticsProblems({ NODE_ENV: 'production' })).toEqual(missing);
    expect(speechmaticsProblems({ NODE_ENV: 'production', SPEECHMATICS_API_KEY: '' })).toEqual(missing);
    expect(
      speechmaticsProblems({ NODE_ENV: 'production', SPEECHMATICS_URL: 'https://eu1.asr.api.speechmatics.com' }),
    ).toEqual(missing);
    expect(speechmaticsProblems({ NODE_ENV: 'production', SPEECHMATICS_API_KEY: 'k-123' })).toEqual([]);
    // A self-hosted batch server in the operator's network needs no key.
    expect(speechmaticsProblems({ NODE_ENV: 'production', SPEECHMATICS_URL: 'http://asr.internal:8080' })).toEqual([]);
    // Development and tests use the local server (or nothing) without a key.
    expect(speechmaticsProblems({ NODE_ENV: 'development' })).toEqual([]);
    expect(speechmaticsProblems({ NODE_ENV: 'test', SPEECHMATICS_URL: 'http://127.0.0.1:8790' })).toEqual([]);
    // A lookalike host is not the cloud.
    expect(
      speechmaticsProblems({ NODE_ENV: 'production', SPEECHMATICS_URL: 'https://speechmatics.com.example.org' }),
    ).toEqual([]);
  });
});
