import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_STORE_TIMEOUT_MS } from '@app/testing';

const ROOT = join(__dirname, '..');

/** Runs the real entry point (src/main.ts) as its own process, as `npm start` does. */
export function spawnServer(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      STORE_TIMEOUT_MS: TEST_STORE_TIMEOUT_MS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

export function waitForOutput(
  child: ReturnType<typeof spawnServer>,
  pattern: RegExp,
  timeoutMs = 45000,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = child.output().match(pattern);
      if (m) {
        clearInterval(timer);
        resolve(m);
      } else if (child.exitCode !== null || Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`did not see ${pattern}; output:\n${child.output()}`));
      }
    }, 100);
    const deadline = Date.now() + timeoutMs;
  });
}

/** The exit code (null when a signal ended it); resolves at once for a process that has already ended. */
export function exited(child: ChildProcess): Promise<number | null> {
  // A process killed by a signal keeps exitCode null: its signalCode says it has ended.
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
