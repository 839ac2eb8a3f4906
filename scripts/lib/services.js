'use strict';
/**
 * Local backing services for development and tests (there is no Docker engine here).
 *
 * Each service is installed into the git-ignored .local/ folder when missing (idempotent),
 * started on loopback, waited for with a timeout, and stopped by whoever started it.
 *   - DynamoDB + S3: moto server (PyPI, pinned) in a project-local virtualenv.
 *   - MongoDB: MONGODB_URI if set; else `mongod` on PATH; else mongo-java-server (Maven, pinned).
 *   - Redis: REDIS_URL if set; else `redis-server` on PATH; else none (in-process pub/sub), unless
 *     the caller requires it (the tests do).
 *   - Stripe: STRIPE_API_BASE or STRIPE_SECRET_KEY if set; else localstripe (PyPI, pinned) in the
 *     same virtualenv, in memory on loopback (tools/localstripe/server.py).
 *   - SMTP: SMTP_URL if set; else the local mail catcher (scripts/mail-catcher.js: smtp-server +
 *     mailparser, plain Node), which keeps every mail under .local/mail (MAIL_CATCHER_DIR).
 *   - Speechmatics: SPEECHMATICS_URL if set; else the local batch server (tools/speechmatics-local),
 *     which needs ffmpeg.
 *
 * Every process started is recorded under .local/services/ (service-records.js); `upAll` first
 * stops the leftovers of an owner that was killed before it could stop them. A missing
 * prerequisite or a port held by someone else is one line (MissingPrerequisite, PortInUse).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { alive: processAlive, isSameProcess } = require('./processes');
const records = require('./service-records');

const ROOT = path.resolve(__dirname, '..', '..');
const LOCAL = path.join(ROOT, '.local');
const MOTO_VERSION = '5.2.5';
const LOCALSTRIPE_VERSION = '1.15.10';
const VENV = path.join(LOCAL, 'venv');
const MJS_DIR = path.join(LOCAL, 'mongo-java-server');
const MJS_SRC = path.join(ROOT, 'tools', 'mongo-java-server');
const HOST = '127.0.0.1';

/** A tool the machine lacks; the message is one line naming it and how to install it. */
class MissingPrerequisite extends Error {}

/** A port held by a process the caller must not touch; the message is one line. */
class PortInUse extends Error {}

/** Errors whose message alone is the whole story for the person at the terminal (no stack). */
function isOneLine(err) {
  return err instanceof MissingPrerequisite || err instanceof PortInUse;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The prerequisites, each with what needs it and how to get it (Debian package names, as in .ci/run). */
const PREREQUISITES = {
  python3: 'python3 3.9+ (moto server and localstripe run on it): `apt-get install python3 python3-venv`',
  venv: 'the python3 venv module (moto and localstripe are installed into .local/venv): `apt-get install python3-venv`',
  java: 'java 11+ (mongo-java-server runs on it): `apt-get install default-jdk-headless`, or set MONGODB_URI, or put mongod on PATH',
  mvn: 'mvn (fetches mongo-java-server once): `apt-get install maven`, or set MONGODB_URI, or put mongod on PATH',
  javac: 'javac (compiles the mongo-java-server launcher once): `apt-get install default-jdk-headless`',
  'redis-server':
    'redis-server (the tests prove pub/sub and rate limits across server instances with it): `apt-get install redis-server`, or set REDIS_URL',
  ffmpeg:
    'ffmpeg (decodes lesson recordings for the analysis and the local Speechmatics server): `apt-get install ffmpeg`, or set SPEECHMATICS_URL and do without recording analysis',
  sox: 'sox (the tests generate lesson recordings with it): `apt-get install sox`',
  'espeak-ng': 'espeak-ng (the voices of the generated test lessons): `apt-get install espeak-ng`',
};

function missingPrerequisite(names) {
  const list = names.map((n) => PREREQUISITES[n]);
  return new MissingPrerequisite(
    names.length === 1 ? `Missing prerequisite: ${list[0]}.` : `Missing prerequisites: ${list.join('; ')}.`,
  );
}

function requireTool(cmd) {
  const found = which(cmd);
  if (!found) throw missingPrerequisite([cmd]);
  return found;
}

/** python3 on PATH, 3.9 or newer (moto 5's floor), with the venv module and ensurepip (Debian splits them off). */
function pythonProblem() {
  if (!which('python3')) return 'python3';
  const r = spawnSync(
    'python3',
    ['-c', 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 9) else 3)'],
    { encoding: 'utf8' },
  );
  if (r.status === 3) return 'python3';
  return r.status === 0 ? null : 'venv';
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${(r.stderr || '') + (r.stdout || '')}`.trim(),
    );
  }
  return r.stdout;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function portOpen(port, host = HOST) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(name, check, { timeoutMs = 60000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready; see ${child.logFile}`);
    }
    if (await check()) return;
    await sleep(150);
  }
  throw new Error(`${name} was not ready within ${timeoutMs} ms`);
}

/** Finds a free loopback port when the caller asks for port 0. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `detached` runs the service in its own process group: Ctrl-C on `npm start` then reaches only
 * the server, which drains its requests while the services are still up; the launcher stops them
 * afterwards. `unref` (for `services:up`) also lets the launcher exit while they keep running.
 */
function startProcess(
  service,
  cmd,
  args,
  { port, commandIncludes, detached = false, unref = detached, persistent = false },
) {
  fs.mkdirSync(path.join(LOCAL, 'logs'), { recursive: true });
  const logFile = path.join(LOCAL, 'logs', `${service}-${port}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', out, out], detached, cwd: ROOT });
  fs.closeSync(out);
  child.logFile = logFile;
  if (unref) child.unref();
  if (child.pid === undefined) {
    // spawn reports ENOENT and friends through an 'error' event; waitFor sees the exit.
    child.once('error', () => undefined);
  } else {
    child.record = records.writeRecord({
      name: service,
      pid: child.pid,
      port,
      url: null,
      command: [cmd, ...args],
      commandIncludes,
      persistent,
    });
  }
  return child;
}

/** Records a process started elsewhere (the app under `npm start`) so a later start can stop it when left over. */
function recordProcess(name, child, { port, commandIncludes }) {
  child.record = records.writeRecord({
    name,
    pid: child.pid,
    port,
    url: null,
    command: child.spawnargs,
    commandIncludes,
  });
  return child.record;
}

/**
 * Stops the processes recorded by owners that are gone (killed before they could stop them) and
 * drops records whose process has ended. Returns the leftovers stopped.
 */
async function stopLeftovers({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const leftovers = [];
  for (const rec of records.readRecords()) {
    if (!rec.running) records.removeRecord(rec);
    else if (rec.owner && !rec.ownerRunning) leftovers.push(rec);
  }
  await Promise.all(
    leftovers.map(async (rec) => {
      await stopService(rec);
      log(
        `[services] stopped a leftover ${rec.name} (pid ${rec.pid}, port ${rec.port}) of a run that ended without stopping it`,
      );
    }),
  );
  return leftovers;
}

/** Throws PortInUse with one line saying who holds the port and what to do, unless it is free. */
async function ensurePortFree(name, port, envVar) {
  if (!(await portOpen(port))) return;
  const holder = records.readRecords().find((r) => r.running && r.port === port);
  let who;
  if (!holder) who = 'a process this project did not start; stop it';
  else if (!holder.owner)
    who = `the ${holder.name} that \`npm run services:up\` started (pid ${holder.pid}); stop it with \`npm run services:down\` or export the variables it printed`;
  else
    who = `the ${holder.name} (pid ${holder.pid}) of another running process of this project (pid ${holder.owner.pid}: ${holder.owner.command}); stop that`;
  throw new PortInUse(`${name}: port ${port} on ${HOST} is in use by ${who}, or choose another port with ${envVar}.`);
}

// ---------- moto (DynamoDB + S3) ----------

/** Installed and runnable: the venv's python links to the system's, which may have been removed since. */
function motoInstalled() {
  const python = path.join(VENV, 'bin', 'python');
  if (!fs.existsSync(path.join(VENV, `.moto-${MOTO_VERSION}`))) return false;
  return spawnSync(python, ['-c', 'import moto'], { stdio: 'ignore' }).status === 0;
}

/** The project venv's python, creating the venv first when missing. */
function ensureVenv() {
  const problem = pythonProblem();
  if (problem) throw missingPrerequisite([problem]);
  if (!fs.existsSync(path.join(VENV, 'bin', 'pip'))) run('python3', ['-m', 'venv', VENV]);
  return path.join(VENV, 'bin', 'python');
}

/** `python -m pip` rather than bin/pip: a copied venv's pip script still names the python it was made with. */
function pipInstall(python, requirement) {
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', requirement]);
}

function ensureMoto() {
  const python = path.join(VENV, 'bin', 'python');
  const marker = path.join(VENV, `.moto-${MOTO_VERSION}`);
  if (motoInstalled()) return python;
  ensureVenv();
  process.stderr.write(`[services] installing moto[server]==${MOTO_VERSION} into .local/venv ...\n`);
  pipInstall(python, `moto[server]==${MOTO_VERSION}`);
  fs.writeFileSync(marker, '');
  return python;
}

async function startMoto({ port = 4566, detached = false, unref = detached, persistent = false } = {}) {
  const bin = ensureMoto();
  if (port === 0) port = await freePort();
  await ensurePortFree('moto', port, 'MOTO_PORT');
  // Our launcher serializes request processing and keeps moto's memory bounded; see
  // tools/moto/serialized_server.py for why.
  const launcher = path.join(ROOT, 'tools', 'moto', 'serialized_server.py');
  const child = startProcess('moto', bin, [launcher, HOST, String(port)], {
    port,
    commandIncludes: [launcher, String(port)],
    detached,
    unref,
    persistent,
  });
  const url = `http://${HOST}:${port}`;
  await waitFor('moto server', () => httpOk(`${url}/moto-api/`), { child });
  return service('moto', child, port, url);
}

function service(name, child, port, url, extra = {}) {
  return { name, ...extra, pid: child.pid, child, port, url, record: child.record };
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

// ---------- localstripe (Stripe) ----------

function localstripeInstalled() {
  const python = path.join(VENV, 'bin', 'python');
  if (!fs.existsSync(path.join(VENV, `.localstripe-${LOCALSTRIPE_VERSION}`))) return false;
  return spawnSync(python, ['-c', 'import localstripe.server'], { stdio: 'ignore' }).status === 0;
}

function ensureLocalstripe() {
  const python = path.join(VENV, 'bin', 'python');
  if (localstripeInstalled()) return python;
  ensureVenv();
  process.stderr.write(`[services] installing localstripe==${LOCALSTRIPE_VERSION} into .local/venv ...\n`);
  pipInstall(python, `localstripe==${LOCALSTRIPE_VERSION}`);
  fs.writeFileSync(path.join(VENV, `.localstripe-${LOCALSTRIPE_VERSION}`), '');
  return python;
}

/** localstripe, a stateful Stripe stand-in: the app's Stripe client talks to it via STRIPE_API_BASE. */
async function startLocalstripe({ port = 8420, detached = false, unref = detached, persistent = false } = {}) {
  const bin = ensureLocalstripe();
  if (port === 0) port = await freePort();
  await ensurePortFree('localstripe', port, 'STRIPE_PORT');
  const launcher = path.join(ROOT, 'tools', 'localstripe', 'server.py');
  const child = startProcess('localstripe', bin, [launcher, HOST, String(port)], {
    port,
    commandIncludes: [launcher, String(port)],
    detached,
    unref,
    persistent,
  });
  const url = `http://${HOST}:${port}`;
  // Unauthenticated, it answers 401: up and speaking HTTP.
  await waitFor('localstripe', () => httpOk(`${url}/v1/balance`), { child });
  return service('localstripe', child, port, url);
}

// ---------- MongoDB ----------

function mongoJavaServerInstalled() {
  const pomCopy = path.join(MJS_DIR, 'pom.xml');
  return (
    fs.existsSync(path.join(MJS_DIR, 'classes', 'MongoLauncher.class')) &&
    fs.existsSync(pomCopy) &&
    fs.readFileSync(pomCopy, 'utf8') === fs.readFileSync(path.join(MJS_SRC, 'pom.xml'), 'utf8')
  );
}

function ensureMongoJavaServer() {
  const lib = path.join(MJS_DIR, 'lib');
  const launcherClass = path.join(MJS_DIR, 'classes', 'MongoLauncher.class');
  const pomCopy = path.join(MJS_DIR, 'pom.xml');
  const pom = fs.readFileSync(path.join(MJS_SRC, 'pom.xml'), 'utf8');
  const installed = mongoJavaServerInstalled();
  if (installed) return { lib, classes: path.dirname(launcherClass) };
  const missing = ['java', 'mvn', 'javac'].filter((tool) => !which(tool));
  if (missing.length) throw missingPrerequisite(missing);
  process.stderr.write('[services] fetching mongo-java-server with Maven into .local/mongo-java-server ...\n');
  fs.rmSync(MJS_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(MJS_DIR, 'classes'), { recursive: true });
  run('mvn', [
    '-q',
    '-B',
    '-f',
    path.join(MJS_SRC, 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${lib}`,
  ]);
  run('javac', ['-cp', `${lib}/*`, '-d', path.join(MJS_DIR, 'classes'), path.join(MJS_SRC, 'MongoLauncher.java')]);
  fs.writeFileSync(pomCopy, pom);
  return { lib, classes: path.dirname(launcherClass) };
}

/**
 * Starts MongoDB on loopback: `mongod` when on PATH, else mongo-java-server.
 * (The caller decides whether MONGODB_URI makes this unnecessary.)
 */
async function startMongo({ port = 27018, detached = false, unref = detached, persistent = false } = {}) {
  const useMongod = Boolean(which('mongod'));
  const jar = useMongod ? null : ensureMongoJavaServer();
  if (!useMongod) requireTool('java');
  if (port === 0) port = await freePort();
  await ensurePortFree('mongodb', port, 'MONGO_PORT');
  const opts = { port, detached, unref, persistent };
  let child;
  let kind;
  if (useMongod) {
    const dbpath = path.join(LOCAL, `mongod-data-${port}`);
    fs.mkdirSync(dbpath, { recursive: true });
    child = startProcess('mongod', 'mongod', ['--bind_ip', HOST, '--port', String(port), '--dbpath', dbpath], {
      ...opts,
      commandIncludes: ['mongod', `--port ${port}`],
    });
    kind = 'mongod';
  } else {
    const { lib, classes } = jar;
    child = startProcess(
      'mongo-java-server',
      'java',
      ['-Xmx512m', '-XX:+UseSerialGC', '-cp', `${classes}:${lib}/*`, 'MongoLauncher', HOST, String(port)],
      { ...opts, commandIncludes: ['MongoLauncher', `${HOST} ${port}`] },
    );
    kind = 'mongo-java-server';
  }
  await waitFor(kind, () => portOpen(port), { child });
  return service('mongodb', child, port, `mongodb://${HOST}:${port}`, { kind });
}

// ---------- Redis ----------

/** Starts redis-server, or returns null when it is not on PATH (the caller decides whether that is fatal). */
async function startRedis({ port = 6380, detached = false, unref = detached, persistent = false } = {}) {
  if (!which('redis-server')) return null;
  if (port === 0) port = await freePort();
  await ensurePortFree('redis', port, 'REDIS_PORT');
  const child = startProcess(
    'redis',
    'redis-server',
    ['--bind', HOST, '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    // redis-server rewrites its command line to "redis-server 127.0.0.1:PORT"; these parts fit both.
    { port, commandIncludes: ['redis-server', String(port)], detached, unref, persistent },
  );
  await waitFor('redis-server', () => portOpen(port), { child });
  return service('redis', child, port, `redis://${HOST}:${port}`);
}

// ---------- SMTP (the local mail catcher) ----------

const MAIL_DIR = path.join(LOCAL, 'mail');

/** Starts the mail catcher: every mail sent to it is kept under `dir` (.local/mail by default). */
async function startMailCatcher({
  port = 1025,
  dir = MAIL_DIR,
  detached = false,
  unref = detached,
  persistent = false,
} = {}) {
  if (port === 0) port = await freePort();
  await ensurePortFree('mail catcher', port, 'MAIL_PORT');
  const script = path.join(ROOT, 'scripts', 'mail-catcher.js');
  const child = startProcess('mail-catcher', process.execPath, [script, HOST, String(port), dir], {
    port,
    commandIncludes: [script, String(port)],
    detached,
    unref,
    persistent,
  });
  await waitFor('mail catcher', () => portOpen(port), { child });
  return service('smtp', child, port, `smtp://${HOST}:${port}`, { dir });
}

// ---------- Speechmatics (local batch server) ----------

/** The API key the local Speechmatics server accepts (not a secret: loopback only). */
const LOCAL_SPEECHMATICS_KEY = 'local-speechmatics-key';
const SPEECHMATICS_SCRIPTS = path.join(LOCAL, 'fixtures', 'scripts');

/** Starts the local server speaking the Speechmatics batch protocol (tools/speechmatics-local). */
async function startSpeechmatics({ port = 8790, detached = false, unref = detached, persistent = false } = {}) {
  requireTool('ffmpeg');
  if (port === 0) port = await freePort();
  await ensurePortFree('speechmatics', port, 'SPEECHMATICS_PORT');
  const server = path.join(ROOT, 'tools', 'speechmatics-local', 'server.js');
  fs.mkdirSync(SPEECHMATICS_SCRIPTS, { recursive: true });
  const child = startProcess(
    'speechmatics',
    process.execPath,
    [server, HOST, String(port), LOCAL_SPEECHMATICS_KEY, SPEECHMATICS_SCRIPTS],
    { port, commandIncludes: [server, String(port)], detached, unref, persistent },
  );
  const url = `http://${HOST}:${port}`;
  await waitFor('local speechmatics server', () => httpOk(`${url}/_local/health`), { child });
  return service('speechmatics', child, port, url, { apiKey: LOCAL_SPEECHMATICS_KEY });
}

/**
 * Stops a service and waits until its process is gone (SIGKILL after a grace period), then drops
 * its record. `svc` is what a start function returned (our child) or a record read back from
 * .local/services (a leftover of an earlier run): such a pid is signalled only while it is still
 * the recorded process, never after it ended and the pid went to someone else.
 */
async function stopService(svc, { graceMs = 5000 } = {}) {
  if (!svc || !svc.pid) return;
  const child = svc.child;
  const gone = child
    ? // A child we spawned stays a zombie until reaped; exitCode/signalCode tell us it is gone.
      () => child.exitCode !== null || child.signalCode !== null || !processAlive(svc.pid)
    : () => !isSameProcess(svc);
  const signal = (sig) => {
    if (gone()) return false;
    try {
      process.kill(svc.pid, sig);
      return true;
    } catch {
      return false;
    }
  };
  const waitGone = async (ms) => {
    const deadline = Date.now() + ms;
    while (!gone() && Date.now() < deadline) await sleep(50);
  };
  try {
    if (signal('SIGTERM')) {
      await waitGone(graceMs);
      if (signal('SIGKILL')) await waitGone(2000);
    }
  } finally {
    records.removeRecord(svc.record ?? svc);
  }
}

/** Which prerequisites the services that will be started need and the machine lacks, checked before starting any. */
function checkPrerequisites({ moto, mongo, redis, stripe = false, speechmatics = false, fixtures = false }) {
  const missing = [];
  if ((moto && !motoInstalled()) || (stripe && !localstripeInstalled())) {
    const problem = pythonProblem();
    if (problem) missing.push(problem);
  }
  if (mongo && !which('mongod')) {
    const tools = mongoJavaServerInstalled() ? ['java'] : ['java', 'mvn', 'javac'];
    missing.push(...tools.filter((tool) => !which(tool)));
  }
  if (redis && !which('redis-server')) missing.push('redis-server');
  if ((speechmatics || fixtures) && !which('ffmpeg')) missing.push('ffmpeg');
  if (fixtures) missing.push(...['sox', 'espeak-ng'].filter((tool) => !which(tool)));
  if (missing.length) throw missingPrerequisite([...new Set(missing)]);
}

/**
 * Brings up whatever the environment does not already provide, and returns the env variables
 * that point the app at it plus the list of started services (to stop later). Leftovers of an
 * earlier run killed before it stopped its services are stopped first; a missing prerequisite
 * fails before anything starts (`fixtures`: also the tools the tests make recordings with).
 * `requireRedis` makes a missing redis-server fatal (the tests);
 * otherwise the app runs without Redis (in-process pub/sub). `persistent` services have no
 * owner: they outlive this process until `npm run services:down`.
 */
async function upAll({
  ports = {},
  detached = false,
  unref = detached,
  env = process.env,
  requireRedis = false,
  fixtures = false,
  persistent = false,
  mailDir = MAIL_DIR,
} = {}) {
  const need = {
    moto: !env.DYNAMODB_ENDPOINT || !env.S3_ENDPOINT,
    mongo: !env.MONGODB_URI,
    redis: !env.REDIS_URL,
    stripe: !env.STRIPE_API_BASE && !env.STRIPE_SECRET_KEY,
    smtp: !env.SMTP_URL,
    speechmatics: !env.SPEECHMATICS_URL,
  };
  checkPrerequisites({ ...need, redis: need.redis && requireRedis, fixtures });
  await stopLeftovers();
  const started = [];
  const vars = {};
  const opts = { detached, unref, persistent };
  try {
    if (need.moto) {
      const moto = await startMoto({ port: ports.moto ?? 4566, ...opts });
      started.push(moto);
      vars.DYNAMODB_ENDPOINT = env.DYNAMODB_ENDPOINT || moto.url;
      vars.S3_ENDPOINT = env.S3_ENDPOINT || moto.url;
      vars.AWS_ACCESS_KEY_ID = env.AWS_ACCESS_KEY_ID || 'test';
      vars.AWS_SECRET_ACCESS_KEY = env.AWS_SECRET_ACCESS_KEY || 'test';
      vars.AWS_REGION = env.AWS_REGION || 'us-east-1';
    }
    if (need.stripe) {
      const stripe = await startLocalstripe({ port: ports.stripe ?? 8420, ...opts });
      started.push(stripe);
      vars.STRIPE_API_BASE = stripe.url;
    }
    if (need.mongo) {
      const mongo = await startMongo({ port: ports.mongo ?? 27018, ...opts });
      started.push(mongo);
      vars.MONGODB_URI = `${mongo.url}/take-sessions`;
    }
    if (need.redis) {
      const redis = await startRedis({ port: ports.redis ?? 6380, ...opts });
      if (redis) {
        started.push(redis);
        vars.REDIS_URL = redis.url;
      }
    }
    if (need.smtp) {
      const smtp = await startMailCatcher({ port: ports.smtp ?? 1025, dir: mailDir, ...opts });
      started.push(smtp);
      vars.SMTP_URL = smtp.url;
      vars.MAIL_CATCHER_DIR = smtp.dir;
    }
    if (need.speechmatics) {
      const sm = await startSpeechmatics({ port: ports.speechmatics ?? 8790, ...opts });
      started.push(sm);
      vars.SPEECHMATICS_URL = sm.url;
      vars.SPEECHMATICS_API_KEY = sm.apiKey;
    }
  } catch (err) {
    await Promise.all(started.map((s) => stopService(s)));
    throw err;
  }
  return { vars, started };
}

/** Ports from MOTO_PORT, MONGO_PORT, REDIS_PORT, STRIPE_PORT, MAIL_PORT and SPEECHMATICS_PORT (undefined: each service's default). */
function portsFromEnv(env = process.env) {
  const num = (v) => (v ? Number(v) : undefined);
  return {
    moto: num(env.MOTO_PORT),
    mongo: num(env.MONGO_PORT),
    redis: num(env.REDIS_PORT),
    stripe: num(env.STRIPE_PORT),
    smtp: num(env.MAIL_PORT),
    speechmatics: num(env.SPEECHMATICS_PORT),
  };
}

module.exports = {
  portsFromEnv,
  ROOT,
  LOCAL,
  MissingPrerequisite,
  PortInUse,
  isOneLine,
  checkPrerequisites,
  stopLeftovers,
  recordProcess,
  startMoto,
  startMongo,
  startRedis,
  startLocalstripe,
  startMailCatcher,
  MAIL_DIR,
  startSpeechmatics,
  stopService,
  upAll,
  portOpen,
  freePort,
  ensureMoto,
  ensureLocalstripe,
  ensureMongoJavaServer,
};
