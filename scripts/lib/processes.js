'use strict';
/**
 * What the service scripts need to know about a process by its pid: whether it runs, its command
 * line and start time (together they tell our own process from a foreign one that reuses the pid),
 * and its resident memory. Linux reads /proc; elsewhere `ps` answers the command line and the
 * start time is unknown.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const PROC = fs.existsSync('/proc/self/stat');

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The command line as one string (arguments joined by spaces), or null when the pid does not run. */
function commandLine(pid) {
  if (!alive(pid)) return null;
  if (PROC) {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').trim();
    } catch {
      return null;
    }
  }
  const r = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Start time in clock ticks since boot (field 22 of /proc/PID/stat): with the pid it names one
 * process for the whole uptime. null when unknown (no /proc, or the process is gone).
 */
function startTicks(pid) {
  if (!PROC) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Resident set size in bytes (VmRSS), or null when the process is gone or /proc is missing. */
function rssBytes(pid) {
  if (!PROC) return null;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** A process is the one we recorded when it runs, started at the recorded time, and its command line still fits. */
function isSameProcess({ pid, startTicks: recordedStart, commandIncludes }) {
  const cmd = commandLine(pid);
  if (cmd === null) return false;
  if (recordedStart && startTicks(pid) !== recordedStart) return false;
  return (commandIncludes || []).every((part) => cmd.includes(part));
}

module.exports = { alive, commandLine, startTicks, rssBytes, isSameProcess };
