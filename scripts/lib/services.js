'use strict';
/**
 * Local backing services for development and tests (there is no Docker engine here).
 *
 * Each service is installed into the git-ignored .local/ folder when missing (idempotent),
 * started on loopback, waited for with a timeout, and stopped by whoever started it.
 *   - DynamoDB + S3: moto server (PyPI, pinned) in a project-local virtualenv.
 *   - MongoDB: MONGODB_URI if set; else `mongod` on PATH; else mongo-java-server (Maven, pinned).
 *   - Redis: REDIS_URL if set; else `redis-server` on PATH; else none (in-process pub/sub).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const LOCAL = path.join(ROOT, '.local');
const MOTO_VERSION = '5.2.5';
const VENV = path.join(LOCAL, 'venv');
const MJS_DIR = path.join(LOCAL, 'mongo-java-server');
const MJS_SRC = path.join(ROOT, 'tools', 'mongo-java-server');
const HOST = '127.0.0.1';

class MissingPrerequisite extends Error {}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function requireTool(cmd, how) {
  const found = which(cmd);
  if (!found) throw new MissingPrerequisite(`Missing prerequisite: ${cmd} is not on PATH. ${how}`);
  return found;
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
function startProcess(name, cmd, args, { detached = false, unref = detached } = {}) {
  fs.mkdirSync(path.join(LOCAL, 'logs'), { recursive: true });
  const logFile = path.join(LOCAL, 'logs', `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', out, out], detached, cwd: ROOT });
  fs.closeSync(out);
  child.logFile = logFile;
  if (unref) child.unref();
  return child;
}

// ---------- moto (DynamoDB + S3) ----------

function ensureMoto() {
  const python = path.join(VENV, 'bin', 'python');
  const marker = path.join(VENV, `.moto-${MOTO_VERSION}`);
  if (fs.existsSync(python) && fs.existsSync(marker)) return python;
  const systemPython = which('python3');
  if (!systemPython) {
    throw new MissingPrerequisite(
      'Missing prerequisite: python3 (3.9+) is not on PATH; moto server needs it. Install it with `apt-get install python3 python3-venv` or from python.org.',
    );
  }
  if (!fs.existsSync(path.join(VENV, 'bin', 'pip'))) {
    const r = spawnSync(systemPython, ['-m', 'venv', VENV], { encoding: 'utf8' });
    if (r.status !== 0) {
      throw new MissingPrerequisite(
        `Missing prerequisite: python3 cannot create a virtualenv (${(r.stderr || '').trim().split('\n').pop()}). Install it with \`apt-get install python3-venv\`.`,
      );
    }
  }
  process.stderr.write(`[services] installing moto[server]==${MOTO_VERSION} into .local/venv ...\n`);
  run(path.join(VENV, 'bin', 'pip'), [
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `moto[server]==${MOTO_VERSION}`,
  ]);
  fs.writeFileSync(marker, '');
  return python;
}

async function startMoto({ port = 4566, detached = false, unref = detached } = {}) {
  const bin = ensureMoto();
  if (port === 0) port = await freePort();
  if (await portOpen(port)) throw new Error(`moto: port ${port} on ${HOST} is already in use`);
  // Our launcher serializes request processing; see tools/moto/serialized_server.py for why.
  const launcher = path.join(ROOT, 'tools', 'moto', 'serialized_server.py');
  const child = startProcess(`moto-${port}`, bin, [launcher, HOST, String(port)], { detached, unref });
  const url = `http://${HOST}:${port}`;
  await waitFor('moto server', () => httpOk(`${url}/moto-api/`), { child });
  return { name: 'moto', pid: child.pid, child, port, url };
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

// ---------- MongoDB ----------

function ensureMongoJavaServer() {
  const lib = path.join(MJS_DIR, 'lib');
  const launcherClass = path.join(MJS_DIR, 'classes', 'MongoLauncher.class');
  const pomCopy = path.join(MJS_DIR, 'pom.xml');
  const pom = fs.readFileSync(path.join(MJS_SRC, 'pom.xml'), 'utf8');
  const installed = fs.existsSync(launcherClass) && fs.existsSync(pomCopy) && fs.readFileSync(pomCopy, 'utf8') === pom;
  if (installed) return { lib, classes: path.dirname(launcherClass) };
  requireTool(
    'java',
    'mongo-java-server needs Java 11+: `apt-get install default-jre-headless` (or set MONGODB_URI, or put mongod on PATH).',
  );
  requireTool(
    'mvn',
    'mongo-java-server is fetched with Maven: `apt-get install maven` (or set MONGODB_URI, or put mongod on PATH).',
  );
  requireTool(
    'javac',
    'the mongo-java-server launcher is compiled with javac: `apt-get install default-jdk-headless`.',
  );
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
async function startMongo({ port = 27018, detached = false, unref = detached } = {}) {
  if (port === 0) port = await freePort();
  if (await portOpen(port)) throw new Error(`mongodb: port ${port} on ${HOST} is already in use`);
  let child;
  let kind;
  if (which('mongod')) {
    const dbpath = path.join(LOCAL, `mongod-data-${port}`);
    fs.mkdirSync(dbpath, { recursive: true });
    child = startProcess(`mongod-${port}`, 'mongod', ['--bind_ip', HOST, '--port', String(port), '--dbpath', dbpath], {
      detached,
      unref,
    });
    kind = 'mongod';
  } else {
    const { lib, classes } = ensureMongoJavaServer();
    child = startProcess(
      `mongo-java-server-${port}`,
      'java',
      ['-Xmx512m', '-XX:+UseSerialGC', '-cp', `${classes}:${lib}/*`, 'MongoLauncher', HOST, String(port)],
      { detached, unref },
    );
    kind = 'mongo-java-server';
  }
  await waitFor(kind, () => portOpen(port), { child });
  return { name: 'mongodb', kind, pid: child.pid, child, port, url: `mongodb://${HOST}:${port}` };
}

// ---------- Redis ----------

async function startRedis({ port = 6380, detached = false, unref = detached } = {}) {
  if (!which('redis-server')) return null;
  if (port === 0) port = await freePort();
  if (await portOpen(port)) throw new Error(`redis: port ${port} on ${HOST} is already in use`);
  const child = startProcess(
    `redis-${port}`,
    'redis-server',
    ['--bind', HOST, '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { detached },
  );
  await waitFor('redis-server', () => portOpen(port), { child });
  return { name: 'redis', pid: child.pid, child, port, url: `redis://${HOST}:${port}` };
}

/** Stops a started service and waits until its process is gone (SIGKILL after a grace period). */
async function stopService(svc, { graceMs = 5000 } = {}) {
  if (!svc || !svc.pid) return;
  const alive = () => {
    try {
      process.kill(svc.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(svc.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) {
    // A child we spawned stays a zombie until reaped; its exitCode tells us it is gone.
    if (svc.child && svc.child.exitCode !== null) return;
    await sleep(50);
  }
  if (alive() && !(svc.child && svc.child.exitCode !== null)) {
    try {
      process.kill(svc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * Brings up whatever the environment does not already provide, and returns the env variables
 * that point the app at it plus the list of started services (to stop later).
 */
async function upAll({ ports = {}, detached = false, unref = detached, env = process.env } = {}) {
  const started = [];
  const vars = {};
  try {
    if (!env.DYNAMODB_ENDPOINT || !env.S3_ENDPOINT) {
      const moto = await startMoto({ port: ports.moto ?? 4566, detached, unref });
      started.push(moto);
      vars.DYNAMODB_ENDPOINT = env.DYNAMODB_ENDPOINT || moto.url;
      vars.S3_ENDPOINT = env.S3_ENDPOINT || moto.url;
      vars.AWS_ACCESS_KEY_ID = env.AWS_ACCESS_KEY_ID || 'test';
      vars.AWS_SECRET_ACCESS_KEY = env.AWS_SECRET_ACCESS_KEY || 'test';
      vars.AWS_REGION = env.AWS_REGION || 'us-east-1';
    }
    if (!env.MONGODB_URI) {
      const mongo = await startMongo({ port: ports.mongo ?? 27018, detached, unref });
      started.push(mongo);
      vars.MONGODB_URI = `${mongo.url}/take-sessions`;
    }
    if (!env.REDIS_URL) {
      const redis = await startRedis({ port: ports.redis ?? 6380, detached, unref });
      if (redis) {
        started.push(redis);
        vars.REDIS_URL = redis.url;
      }
    }
  } catch (err) {
    await Promise.all(started.map((s) => stopService(s)));
    throw err;
  }
  return { vars, started };
}

/** Ports from MOTO_PORT, MONGO_PORT and REDIS_PORT (undefined: each service's default). */
function portsFromEnv(env = process.env) {
  const num = (v) => (v ? Number(v) : undefined);
  return { moto: num(env.MOTO_PORT), mongo: num(env.MONGO_PORT), redis: num(env.REDIS_PORT) };
}

module.exports = {
  portsFromEnv,
  ROOT,
  LOCAL,
  MissingPrerequisite,
  startMoto,
  startMongo,
  startRedis,
  stopService,
  upAll,
  portOpen,
  freePort,
  ensureMoto,
  ensureMongoJavaServer,
};
