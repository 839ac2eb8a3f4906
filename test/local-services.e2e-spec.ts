/**
 * The scripts that start the local services (scripts/lib/services.js), as a newcomer and a
 * developer meet them (issue 9): a run killed hard leaves services that the next start stops
 * instead of failing on their ports; a foreign process is never touched; a missing prerequisite
 * stops the tests at once with one line saying what to install.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandLine } from '../scripts/lib/processes';
import { DIR as RECORDS_DIR } from '../scripts/lib/service-records';
import { freePort, PortInUse, startRedis, stopLeftovers, stopService, upAll } from '../scripts/lib/services';

const ROOT = path.join(__dirname, '..');
const SERVICES = path.join(ROOT, 'scripts', 'lib', 'services.js');
const SERVICE_VARS = [
  'DYNAMODB_ENDPOINT',
  'S3_ENDPOINT',
  'MONGODB_URI',
  'REDIS_URL',
  'SMTP_URL',
  'MAIL_CATCHER_DIR',
  'SPEECHMATICS_URL',
];

/** This process's environment without the variables that point at running services. */
function envWithoutServices(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of SERVICE_VARS) delete env[name];
  return env;
}

/** Runs a Node script in its own process; resolves with its exit code and everything it printed. */
function runNode(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A pid that runs nothing (a zombie's command line is empty too). */
const gone = (pid: number) => !commandLine(pid);

describe('local services: leftovers of a run killed hard', () => {
  it('the next start stops them (after checking they are ours) and starts on the same ports', async () => {
    const ports = {
      moto: await freePort(),
      mongo: await freePort(),
      redis: await freePort(),
      smtp: await freePort(),
      speechmatics: await freePort(),
    };
    // The owner is what `npm start` is: its services run in their own process groups.
    const owner = spawn(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(SERVICES)})
          .upAll({ ports: ${JSON.stringify(ports)}, detached: true, unref: false })
          .then((r) => console.log('READY ' + JSON.stringify(r.started.map((s) => s.pid))));
         setInterval(() => {}, 60000);`,
      ],
      { env: envWithoutServices(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const firstPids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      owner.stdout.on('data', (d) => {
        out += d;
        const m = /READY (\[.*\])/.exec(out);
        if (m) resolve(JSON.parse(m[1]) as number[]);
      });
      owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before its services were up`)));
    });
    expect(firstPids).toHaveLength(5); // moto, MongoDB, Redis, the mail catcher, the local Speechmatics
    owner.kill('SIGKILL');
    await exited(owner);
    // What made the next `npm start` fail: the services outlive their owner.
    for (const pid of firstPids) expect(gone(pid)).toBe(false);

    const log: string[] = [];
    const stopped = await stopLeftovers({ log: (line) => log.push(line) });
    expect(stopped.map((r) => r.pid).sort()).toEqual([...firstPids].sort());
    expect(log).toHaveLength(5);
    for (const pid of firstPids) expect(gone(pid)).toBe(true);

    const again = await upAll({ ports, env: envWithoutServices() });
    try {
      expect(again.started.map((s) => s.port).sort()).toEqual(Object.values(ports).sort());
      expect(again.vars.DYNAMODB_ENDPOINT).toBe(`http://127.0.0.1:${ports.moto}`);
      expect(again.vars.SPEECHMATICS_URL).toBe(`http://127.0.0.1:${ports.speechmatics}`);
    } finally {
      await Promise.all(again.started.map((s) => stopService(s)));
    }
  });

  it('upAll itself stops leftovers first, so a start after a hard kill succeeds', async () => {
    const port = await freePort();
    const owner = spawn(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(SERVICES)})
          .startRedis({ port: ${port}, detached: true, unref: false })
          .then((r) => console.log('READY ' + r.pid));
         setInterval(() => {}, 60000);`,
      ],
      { env: envWithoutServices(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const leftover = await new Promise<number>((resolve, reject) => {
      let out = '';
      owner.stdout.on('data', (d) => {
        out += d;
        const m = /READY (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      owner.once('exit', (code) => reject(new Error(`the owner exited (${code}) before redis was up`)));
    });
    owner.kill('SIGKILL');
    await exited(owner);

    const env = {
      ...envWithoutServices(),
      DYNAMODB_ENDPOINT: 'http://x',
      S3_ENDPOINT: 'http://x',
      MONGODB_URI: 'x',
      SMTP_URL: 'smtp://x',
      SPEECHMATICS_URL: 'http://x',
    };
    const again = await upAll({ ports: { redis: port }, env, requireRedis: true });
    try {
      expect(gone(leftover)).toBe(true);
      expect(again.vars.REDIS_URL).toBe(`redis://127.0.0.1:${port}`);
    } finally {
      await Promise.all(again.started.map((s) => stopService(s)));
    }
  });

  it('never signals a recorded pid that now belongs to another program, and drops its record', async () => {
    // A foreign process that happens to have the pid a dead run recorded for its moto.
    const foreign = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
    const deadOwner = spawn(process.execPath, ['-e', '']);
    await exited(deadOwner);
    const file = path.join(RECORDS_DIR, `moto-${foreign.pid}.json`);
    fs.mkdirSync(RECORDS_DIR, { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'moto',
        pid: foreign.pid,
        port: 1,
        command: ['python', 'tools/moto/serialized_server.py', '127.0.0.1', '1'],
        commandIncludes: ['serialized_server.py', '1'],
        startTicks: null,
        owner: { pid: deadOwner.pid, startTicks: null, command: 'node scripts/start.js' },
      }),
    );
    try {
      const stopped = await stopLeftovers({ log: () => undefined });
      expect(stopped.map((r) => r.pid)).not.toContain(foreign.pid);
      expect(gone(foreign.pid!)).toBe(false);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      foreign.kill();
      fs.rmSync(file, { force: true });
    }
  });

  it('a foreign process on the port gets one line naming the port and how to choose another; it is left running', async () => {
    const port = await freePort();
    const foreign = spawn(
      process.execPath,
      ['-e', `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('LISTENING'))`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => foreign.stdout.once('data', () => resolve()));
      const err = await startRedis({ port }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PortInUse);
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      expect(message).toContain(`port ${port}`);
      expect(message).toContain('a process this project did not start');
      expect(message).toContain('REDIS_PORT');
      expect(gone(foreign.pid!)).toBe(false);
    } finally {
      foreign.kill();
    }
  });
});

describe('local services: a machine without a prerequisite', () => {
  let root: string;
  let bin: string;

  /**
   * A copy of the service scripts in a fresh folder (nothing installed in its .local), and a
   * folder to use as the whole PATH, holding links to the tools each case allows.
   */
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'take-sessions-prereq-'));
    fs.cpSync(path.join(ROOT, 'scripts', 'lib'), path.join(root, 'scripts', 'lib'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'tools'), path.join(root, 'tools'), { recursive: true });
    for (const file of ['global-setup.js', 'global-teardown.js'])
      fs.cpSync(path.join(ROOT, 'libs', 'testing', 'src', file), path.join(root, 'libs', 'testing', 'src', file));
    fs.writeFileSync(
      path.join(root, 'jest.config.js'),
      `module.exports = { rootDir: '.', testRegex: 'probe\\\\.spec\\\\.js$', testEnvironment: 'node',
        globalSetup: '<rootDir>/libs/testing/src/global-setup.js', globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js' };`,
    );
    fs.writeFileSync(
      path.join(root, 'probe.spec.js'),
      `test('the services are configured', () => expect(process.env.REDIS_URL).toBe('redis://127.0.0.1:9'));`,
    );
    bin = path.join(root, 'bin');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** The real path of a tool (python3 through pyenv's shim, say), so a link to it runs without the rest of PATH. */
  function realTool(name: string): string {
    if (name === 'python3') {
      const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
      return r.stdout.trim();
    }
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    return r.stdout.trim();
  }

  function pathWith(tools: string[]): string {
    fs.rmSync(bin, { recursive: true, force: true });
    fs.mkdirSync(bin);
    for (const tool of ['sh', ...tools]) fs.symlinkSync(realTool(tool), path.join(bin, tool));
    return bin;
  }

  const ALL = ['python3', 'java', 'javac', 'mvn', 'redis-server', 'ffmpeg', 'sox', 'espeak-ng'];
  const jest = require.resolve('jest/bin/jest');

  function runTests(env: NodeJS.ProcessEnv) {
    return runNode([jest, '--config', path.join(root, 'jest.config.js'), '--runInBand'], env, root);
  }

  it('jest stops at once with one line naming redis-server and how to install it', async () => {
    const { code, output } = await runTests({ PATH: pathWith(ALL.filter((t) => t !== 'redis-server')) });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringContaining('Missing prerequisite: redis-server')]);
    expect(output).toContain('`apt-get install redis-server`');
    // Stopped before installing anything.
    expect(fs.existsSync(path.join(root, '.local', 'venv'))).toBe(false);
  });

  it('jest runs without redis-server when REDIS_URL is set', async () => {
    const { code, output } = await runTests({
      PATH: pathWith(ALL.filter((t) => t !== 'redis-server')),
      REDIS_URL: 'redis://127.0.0.1:9',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      S3_ENDPOINT: 'http://127.0.0.1:9',
      MONGODB_URI: 'mongodb://127.0.0.1:9/probe',
      // Stripe is given too (localstripe, a child of this process, would keep it running).
      STRIPE_API_BASE: 'http://127.0.0.1:9',
      SMTP_URL: 'smtp://127.0.0.1:9',
      SPEECHMATICS_URL: 'http://127.0.0.1:9',
    });
    expect(output).toContain('1 passed');
    expect(code).toBe(0);
  });

  it.each([
    ['python3', '`apt-get install python3 python3-venv`'],
    ['java', '`apt-get install default-jdk-headless`'],
    ['mvn', '`apt-get install maven`'],
    ['ffmpeg', '`apt-get install ffmpeg`'],
    ['sox', '`apt-get install sox`'],
    ['espeak-ng', '`apt-get install espeak-ng`'],
  ])('without %s the setup is one line naming it and its package', async (tool, install) => {
    const env = { PATH: pathWith(ALL.filter((t) => t !== tool)) };
    const { code, output } = await runNode(
      [
        '-e',
        `require('./libs/testing/src/global-setup.js')().catch((e) => { console.error(e.stack); process.exit(1); })`,
      ],
      env,
      root,
    );
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain(`Missing prerequisite: ${tool}`);
    expect(output).toContain(install);
  });

  it('npm start without redis-server starts without Redis (in-process pub/sub)', async () => {
    const env = {
      PATH: pathWith(ALL.filter((t) => t !== 'redis-server')),
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      S3_ENDPOINT: 'http://127.0.0.1:9',
      MONGODB_URI: 'mongodb://127.0.0.1:9/probe',
      // Stripe is given too (localstripe, a child of this process, would keep it running).
      STRIPE_API_BASE: 'http://127.0.0.1:9',
      SMTP_URL: 'smtp://127.0.0.1:9',
      SPEECHMATICS_URL: 'http://127.0.0.1:9',
    };
    const { code, output } = await runNode(
      ['-e', `require('./scripts/lib/services.js').upAll().then((r) => console.log(JSON.stringify(r.vars)))`],
      env,
      root,
    );
    expect(code).toBe(0);
    expect(JSON.parse(output.trim())).not.toHaveProperty('REDIS_URL');
  });
});
