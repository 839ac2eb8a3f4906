'use strict';
/**
 * What the local Speechmatics server hears in a recording, from the samples alone (its own simple
 * detectors, independent of the application's analysis): where someone speaks, where music plays,
 * and which voice is which (two speakers told apart by their median pitch).
 */
const { spawn } = require('node:child_process');

const RATE = 16000;
const FRAME = 320; // 20 ms
const MIN_LAG = Math.floor(RATE / 800);
const MAX_LAG = Math.ceil(RATE / 60);

/** Decodes any container ffmpeg reads to mono 16 kHz floats, streamed, computing per-frame energy and pitch. */
function framesOf(file) {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-xerror',
      '-i',
      file,
      '-vn',
      '-ac',
      '1',
      '-ar',
      String(RATE),
      '-f',
      'f32le',
      'pipe:1',
    ]);
    const frames = [];
    let pending = Buffer.alloc(0);
    const window = new Float32Array(FRAME + MAX_LAG);
    let filled = 0;
    let err = '';
    ffmpeg.stderr.on('data', (d) => (err += d));
    ffmpeg.stdout.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      const usable = pending.length - (pending.length % 4);
      for (let o = 0; o < usable; o += 4) {
        window[filled++] = pending.readFloatLE(o);
        if (filled === window.length) {
          frames.push(frame(window));
          window.copyWithin(0, FRAME);
          filled -= FRAME;
        }
      }
      pending = pending.subarray(usable);
    });
    ffmpeg.once('error', reject);
    ffmpeg.once('close', (code) => {
      if (code !== 0) return reject(new Error(err.trim().split('\n')[0] || `ffmpeg exited with ${code}`));
      resolve(frames);
    });
  });
}

/** Energy (dBFS) and a normalised-autocorrelation pitch of one 20 ms frame. */
function frame(w) {
  let e = 0;
  for (let i = 0; i < FRAME; i++) e += w[i] * w[i];
  const db = 10 * Math.log10(e / FRAME + 1e-12);
  if (db < -50) return { db, hz: 0, clarity: 0 };
  let best = 0;
  let bestLag = 0;
  for (let lag = MIN_LAG; lag <= MAX_LAG; lag++) {
    let xy = 0;
    let yy = 0;
    for (let i = 0; i < FRAME; i++) {
      xy += w[i] * w[i + lag];
      yy += w[i + lag] * w[i + lag];
    }
    const r = xy / Math.sqrt(e * yy + 1e-12);
    if (r > best) {
      best = r;
      bestLag = lag;
    }
  }
  return { db, hz: best > 0.8 ? RATE / bestLag : 0, clarity: best };
}

/**
 * Speech runs and music events. A second is music when its voiced frames hold their pitch (notes);
 * speech glides and breaks. Speech runs are sounding stretches that are not music, split at
 * pauses of 0.6 s or more.
 */
function hear(frames) {
  const sec = 1 / (RATE / FRAME);
  const active = frames.map((f) => f.db > -45);
  const steady = frames.map((f, i) => {
    const prev = frames[i - 2];
    return f.hz > 0 && prev && prev.hz > 0 && Math.abs(1200 * Math.log2(f.hz / prev.hz)) < 25;
  });
  const musicFrame = new Array(frames.length).fill(false);
  const win = 25; // 0.5 s
  for (let i = 0; i < frames.length; i++) {
    let a = 0;
    let s = 0;
    for (let k = Math.max(0, i - win); k < Math.min(frames.length, i + win); k++) {
      if (active[k]) {
        a++;
        if (steady[k]) s++;
      }
    }
    musicFrame[i] = active[i] && a > 10 && s / a > 0.55;
  }
  const runs = (pred, gapFrames, minFrames) => {
    const out = [];
    let start = -1;
    let last = -1;
    for (let i = 0; i <= frames.length; i++) {
      if (i < frames.length && pred(i)) {
        if (start < 0) start = i;
        last = i;
      } else if (start >= 0 && (i === frames.length || i - last > gapFrames)) {
        if (last - start + 1 >= minFrames)
          out.push({ start: start * sec, end: (last + 1) * sec, from: start, to: last + 1 });
        start = -1;
      }
    }
    return out;
  };
  const music = runs((i) => musicFrame[i], 15, 50);
  const speech = runs((i) => active[i] && !musicFrame[i], 30, 10);
  for (const run of speech) {
    const pitches = frames
      .slice(run.from, run.to)
      .map((f) => f.hz)
      .filter((h) => h > 0)
      .sort((a, b) => a - b);
    run.pitch = pitches.length ? pitches[pitches.length >> 1] : 0;
  }
  labelSpeakers(speech);
  return { speech, music, duration: frames.length * sec };
}

/** Two voices told apart by median pitch (split at the widest gap, if wider than 3 semitones); S1 speaks first. */
function labelSpeakers(speech) {
  const voiced = speech
    .filter((r) => r.pitch > 0)
    .map((r) => Math.log2(r.pitch))
    .sort((a, b) => a - b);
  let split = Infinity;
  let widest = 0.25;
  for (let i = 1; i < voiced.length; i++) {
    if (voiced[i] - voiced[i - 1] > widest) {
      widest = voiced[i] - voiced[i - 1];
      split = (voiced[i] + voiced[i - 1]) / 2;
    }
  }
  const group = (r) => (r.pitch > 0 && Math.log2(r.pitch) > split ? 'high' : 'low');
  const names = new Map();
  for (const run of speech) {
    const g = group(run);
    if (!names.has(g)) names.set(g, `S${names.size + 1}`);
    run.speaker = names.get(g);
  }
}

module.exports = { framesOf, hear };
