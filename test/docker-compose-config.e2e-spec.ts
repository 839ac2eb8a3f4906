import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from '../src/config/load-config';

/**
 * The app service's environment in docker-compose.yml, with `${VAR:-default}` taken at its
 * default (what `docker compose up` uses on a machine that sets none of them).
 */
function composeAppEnvironment(): Record<string, string> {
  const lines = readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^ {4}environment:\s*$/.test(l));
  const env: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^\s*#/.test(line)) continue;
    const m = /^ {6}([A-Z0-9_]+):\s*(.*)$/.exec(line);
    if (!m) break;
    const value = m[2].replace(/^'(.*)'$/, '$1').replace(/^\$\{[A-Z0-9_]+:-(.*)\}$/, '$1');
    env[m[1]] = value;
  }
  return env;
}

describe('docker-compose.yml', () => {
  it('gives the app a production configuration that boots (every setting production requires is there)', () => {
    const env = composeAppEnvironment();
    expect(env).toMatchObject({ NODE_ENV: 'production', DYNAMODB_ENDPOINT: 'http://moto:5000' });
    const cleared = Object.fromEntries(Object.keys(process.env).map((k) => [k, undefined]));
    let problems: string[] = [];
    try {
      loadConfig({ ...cleared, ...env }, { readDotenv: false });
    } catch (err) {
      if (!(err instanceof ConfigValidationError)) throw err;
      problems = err.problems;
    }
    expect(problems).toEqual([]);
  });
});
