import { ulid } from 'ulid';
import { exited, spawnServer, waitForOutput } from './server-process';

/** The real entry point as a separate process: configuration check at boot, and SIGTERM. */
describe('server process', () => {
  it('refuses to boot with invalid configuration, listing every problem at once', async () => {
    const server = spawnServer({
      PORT: 'abc',
      MONGODB_URI: 'postgres://nope',
      REDIS_URL: 'http://x',
      NODE_ENV: 'production',
    });
    expect(await exited(server)).toBe(78);
    const out = server.output();
    expect(out).toContain('Invalid configuration');
    expect(out).toMatch(/PORT: .*integer.*\(got "abc"\)/);
    expect(out).toContain('MONGODB_URI: must be a mongodb:// or mongodb+srv:// URI');
    expect(out).toContain('REDIS_URL: must be a redis:// or rediss:// URL');
    expect(out).toContain('JWT_SECRET: missing');
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('on SIGTERM stops accepting, closes its clients and exits 0', async () => {
    const id = ulid().toLowerCase();
    const server = spawnServer({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_RESOURCES: 'true',
      DYNAMODB_TABLE: `p-${id}`,
      S3_BUCKET: `p-${id}`,
      MONGODB_URI: process.env.MONGODB_URI!.replace(/\/[^/]*$/, `/p-${id}`),
      DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT!,
      S3_ENDPOINT: process.env.S3_ENDPOINT!,
      REDIS_URL: process.env.REDIS_URL ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const [, url] = await waitForOutput(server, /ready at (http:\/\/\S+)/);
    const port = new URL(url).port;
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);

    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });
});
