'use strict';
/**
 * What the service scripts started, one JSON file per process under .local/services/: pid, port,
 * command line, start time, and the owner (the `npm start`, jest or benchmark process that stops it
 * at its end; none for `npm run services:up`, whose services live until `services:down`).
 *
 * An owner killed hard (SIGKILL, a closed terminal) cannot stop its services, so they hold their
 * ports and memory. The next start sweeps them: a record whose owner is gone names a leftover,
 * which is stopped only while the pid is still the recorded process (same start time, command
 * line still fits); a pid now used by anything else is never signalled, its record just dropped.
 */
const fs = require('node:fs');
const path = require('node:path');
const { commandLine, isSameProcess, startTicks } = require('./processes');

const DIR = path.join(__dirname, '..', '..', '.local', 'services');

function identity(pid) {
  return { pid, startTicks: startTicks(pid), command: commandLine(pid) };
}

/**
 * Records a process we just spawned. `commandIncludes` are parts of its command line that stay
 * true for its whole life (redis-server rewrites its own title, so not the full line).
 */
function writeRecord({ name, pid, port, url, command, commandIncludes, persistent = false }) {
  fs.mkdirSync(DIR, { recursive: true });
  const record = {
    name,
    pid,
    port,
    url,
    command,
    commandIncludes,
    startTicks: startTicks(pid),
    owner: persistent ? null : identity(process.pid),
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(fileOf(name, pid), JSON.stringify(record, null, 2));
  return record;
}

function fileOf(name, pid) {
  return path.join(DIR, `${name}-${pid}.json`);
}

function removeRecord({ name, pid }) {
  if (!name) return;
  fs.rmSync(fileOf(name, pid), { force: true });
}

/** Every record, each with `running` (the recorded process still runs) and `ownerRunning`. */
function readRecords() {
  let files;
  try {
    files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const records = [];
  for (const file of files) {
    let record;
    try {
      record = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    } catch {
      continue; // half-written by a process killed mid-write, or not ours
    }
    if (!Number.isInteger(record.pid)) continue;
    records.push({
      ...record,
      running: isSameProcess(record),
      ownerRunning: record.owner ? isSameProcess({ pid: record.owner.pid, startTicks: record.owner.startTicks }) : null,
    });
  }
  return records;
}

module.exports = { DIR, writeRecord, removeRecord, readRecords };
