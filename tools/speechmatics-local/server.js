#!/usr/bin/env node
'use strict';
/**
 * A local server speaking the Speechmatics Batch API v2 (the subset this project uses), for
 * `npm start` and the tests, so recordings are transcribed without an account:
 *
 *   POST   /v2/jobs                    multipart: `config` (JSON) and `data_file`, or config.fetch_data.url
 *   GET    /v2/jobs/:id                { job: { id, status: running|done|rejected|deleted, errors, ... } }
 *   GET    /v2/jobs/:id/transcript     ?format=json-v2 (default) | txt
 *   DELETE /v2/jobs/:id
 *   POST   /_local/faults              { status, count }: the next `count` API calls answer `status` (tests of outages)
 *
 * Every API call needs `Authorization: Bearer <key>` (the key it was started with). Answers come
 * from the audio: speech and music are detected in the samples (audio.js), two voices are told
 * apart by pitch (diarization S1, S2); the words of generated fixtures come from a sidecar script
 * found by the audio's SHA-256 in the scripts folder, spread over the detected speech by length.
 * Audio without a script gets one "(speech)" token per half second of speech. When the job is
 * done (or rejected) each notification_config url is POSTed `?id=…&status=success|error` with
 * its auth_headers and the job info as JSON. Only loopback URLs are fetched or notified.
 *
 * Usage: node server.js HOST PORT API_KEY SCRIPTS_DIR
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { framesOf, hear } = require('./audio');

const [host = '127.0.0.1', port = '8099', apiKey = 'local-speechmatics-key', scriptsDir = '.local/fixtures/scripts'] =
  process.argv.slice(2);
const jobs = new Map();
const faults = { status: 0, count: 0 };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'speechmatics-local-'));

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}

function error(res, status, errorName, detail) {
  send(res, status, { code: status, error: errorName, ...(detail ? { detail } : {}) });
}

function loopback(url) {
  try {
    const { hostname, protocol } = new URL(url);
    return /^https?:$/.test(protocol) && ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname);
  } catch {
    return false;
  }
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

async function submit(req, res) {
  const body = await readBody(req);
  let form;
  try {
    form = await new Response(body, { headers: { 'content-type': req.headers['content-type'] || '' } }).formData();
  } catch {
    return error(res, 400, 'Malformed request', 'expected multipart/form-data');
  }
  let config;
  try {
    config = JSON.parse(String(form.get('config')));
  } catch {
    return error(res, 400, 'Malformed request', 'config is not JSON');
  }
  if (config.type !== 'transcription') return error(res, 400, 'Malformed request', 'type must be transcription');
  if (!config.transcription_config?.language) return error(res, 400, 'No language selected');
  const file = form.get('data_file');
  const url = config.fetch_data?.url;
  if (!file && !url) return error(res, 400, 'Missing data_file');
  if (url && !loopback(url))
    return error(res, 400, 'Malformed request', 'this local server fetches loopback URLs only');
  for (const n of config.notification_config ?? []) {
    if (!loopback(n.url)) return error(res, 400, 'Malformed request', 'notification urls must be loopback');
  }
  const id = crypto.randomBytes(5).toString('hex');
  const job = {
    id,
    created_at: new Date().toISOString(),
    data_name: file?.name ?? (url ? path.basename(new URL(url).pathname) : 'data'),
    duration: 0,
    status: 'running',
    config,
    errors: [],
    transcript: null,
  };
  jobs.set(id, job);
  const data = file ? Buffer.from(await file.arrayBuffer()) : null;
  setImmediate(() => void run(job, data, url));
  send(res, 201, { id });
}

async function run(job, data, url) {
  const audio = path.join(work, `${job.id}.audio`);
  try {
    if (!data) {
      const r = await fetch(url, { signal: AbortSignal.timeout(120_000) });
      if (!r.ok) throw Object.assign(new Error(`fetch_data url answered ${r.status}`), { fetch: true });
      data = Buffer.from(await r.arrayBuffer());
    }
    fs.writeFileSync(audio, data);
    let heard;
    try {
      heard = hear(await framesOf(audio));
    } catch (err) {
      throw Object.assign(new Error(`Job rejected due to invalid audio: ${err.message}`), { audio: true });
    }
    if (jobs.get(job.id) !== job) return; // deleted meanwhile
    job.duration = Math.round(heard.duration);
    job.transcript = transcript(job, heard, scriptFor(data));
    job.status = 'done';
  } catch (err) {
    job.status = 'rejected';
    job.errors.push({
      timestamp: new Date().toISOString(),
      message: err.audio || err.fetch ? err.message : `Job error: ${err.message}`,
    });
  } finally {
    fs.rmSync(audio, { force: true });
  }
  await notify(job);
}

function scriptFor(data) {
  const sha = crypto.createHash('sha256').update(data).digest('hex');
  const file = path.join(scriptsDir, `${sha}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).utterances : null;
}

/** json-v2: words spread over the detected speech runs (one utterance per run when the counts agree). */
function transcript(job, heard, script) {
  const language = job.config.transcription_config.language;
  const diarize = job.config.transcription_config.diarization === 'speaker';
  const results = [];
  const runs = heard.speech;
  const word = (content, start, end, speaker) => ({
    type: 'word',
    start_time: round(start),
    end_time: round(end),
    alternatives: [{ content, confidence: 0.95, language, speaker: diarize ? speaker : 'UU' }],
  });
  const place = (texts, run) => {
    const tokens = texts.flatMap((t) => t.split(/\s+/).filter(Boolean));
    const weight = tokens.reduce((n, t) => n + t.length + 1, 0);
    let t = run.start;
    for (const tok of tokens) {
      const d = ((run.end - run.start) * (tok.length + 1)) / weight;
      const m = /^(.*?)([.,?!]+)$/.exec(tok);
      const content = m ? m[1] : tok;
      if (content) results.push(word(content, t, t + d * 0.9, run.speaker));
      if (m) {
        results.push({
          type: 'punctuation',
          start_time: round(t + d * 0.9),
          end_time: round(t + d * 0.9),
          is_eos: /[.?!]/.test(m[2]),
          attaches_to: 'previous',
          alternatives: [{ content: m[2].slice(-1), confidence: 1, language, speaker: diarize ? run.speaker : 'UU' }],
        });
      }
      t += d;
    }
  };
  if (script && script.length === runs.length) script.forEach((u, i) => place([u.text], runs[i]));
  else if (script) {
    // Counts differ: spread all the words over all the speech, in order, by length.
    const total = runs.reduce((s, r) => s + r.end - r.start, 0);
    const words = script.flatMap((u) => u.text.split(/\s+/));
    let w = 0;
    for (const r of runs) {
      const n = Math.round((words.length * (r.end - r.start)) / total);
      place([words.slice(w, w + n).join(' ')], r);
      w += n;
    }
  } else {
    for (const r of runs) {
      for (let t = r.start; t + 0.5 <= r.end + 0.01; t += 0.5) results.push(word('(speech)', t, t + 0.45, r.speaker));
    }
  }
  const wantsMusic =
    (job.config.audio_events_config?.types ?? ['music']).includes('music') && job.config.audio_events_config;
  const events = wantsMusic
    ? heard.music.map((m) => ({ type: 'music', start_time: round(m.start), end_time: round(m.end), confidence: 0.9 }))
    : [];
  return {
    format: '2.9',
    job: { id: job.id, created_at: job.created_at, data_name: job.data_name, duration: job.duration },
    metadata: {
      created_at: new Date().toISOString(),
      type: 'transcription',
      transcription_config: job.config.transcription_config,
      language_pack_info: { language_description: language, word_delimiter: ' ', writing_direction: 'left-to-right' },
    },
    results,
    ...(wantsMusic
      ? {
          audio_events: events,
          audio_event_summary: {
            overall: {
              music: {
                count: events.length,
                total_duration: round(events.reduce((s, e) => s + e.end_time - e.start_time, 0)),
              },
            },
          },
        }
      : {}),
  };
}

async function notify(job) {
  for (const n of job.config.notification_config ?? []) {
    const url = new URL(n.url);
    url.searchParams.set('id', job.id);
    url.searchParams.set('status', job.status === 'done' ? 'success' : 'error');
    const headers = { 'content-type': 'application/json' };
    for (const h of n.auth_headers ?? []) {
      const i = h.indexOf(':');
      if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
    }
    // Like the real service: a few attempts, then give up (the client polls as a fallback).
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const r = await fetch(url, {
          method: n.method ?? 'POST',
          headers,
          body: JSON.stringify({ job: view(job) }),
          signal: AbortSignal.timeout(10_000),
        });
        if (r.ok) break;
      } catch {
        // retried below
      }
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
}

function view(job) {
  const { transcript: _t, ...rest } = job;
  return { ...rest, errors: job.errors.length ? job.errors : undefined };
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://local');
  const route = `${req.method} ${url.pathname}`;
  (async () => {
    if (route === 'POST /_local/faults') {
      const body = JSON.parse((await readBody(req)).toString() || '{}');
      faults.status = Number(body.status) || 0;
      faults.count = Number(body.count) || 0;
      return send(res, 200, faults);
    }
    if (route === 'GET /_local/health') return send(res, 200, { ok: true });
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return error(res, 401, 'Permission Denied', 'bad or missing API key');
    if (faults.count > 0) {
      faults.count--;
      if (faults.status === 429) res.setHeader('retry-after', '1');
      return error(
        res,
        faults.status,
        faults.status === 429 ? 'Resource Locked' : 'Internal Server Error',
        'injected fault',
      );
    }
    if (route === 'POST /v2/jobs') return submit(req, res);
    const m = /^\/v2\/jobs\/([^/]+)(\/transcript)?$/.exec(url.pathname);
    const job = m && jobs.get(m[1]);
    if (m && !job) return error(res, 404, 'Job not found');
    if (job && req.method === 'GET' && !m[2]) return send(res, 200, { job: view(job) });
    if (job && req.method === 'DELETE' && !m[2]) {
      jobs.delete(job.id);
      return send(res, 200, { job: { ...view(job), status: 'deleted' } });
    }
    if (job && req.method === 'GET' && m[2]) {
      if (job.status === 'rejected') return error(res, 404, 'Job rejected', job.errors[0]?.message);
      if (job.status !== 'done') return error(res, 404, 'Transcription not ready');
      if (url.searchParams.get('format') === 'txt')
        return send(res, 200, job.transcript.results.map((r) => r.alternatives[0].content).join(' '));
      return send(res, 200, job.transcript);
    }
    return error(res, 404, 'Not Implemented', route);
  })().catch((err) => {
    if (!res.headersSent) error(res, 500, 'Internal Server Error', err.message);
  });
});

server.listen(Number(port), host, () => process.stderr.write(`speechmatics-local on http://${host}:${port}\n`));
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    fs.rmSync(work, { recursive: true, force: true });
    process.exit(0);
  });
}
