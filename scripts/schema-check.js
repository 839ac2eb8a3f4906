#!/usr/bin/env node
'use strict';
/**
 * Mobile clients cannot all update at once, so the schema may not break them silently.
 * Compares the working tree's schema.gql with the previous one and fails on a breaking change
 * whose schema coordinate (e.g. `Lesson.price`, `Query.teacher`) docs/schema-changes.md does not
 * name in backticks. Removing a field that the previous schema marked @deprecated is not breaking.
 *
 * The previous schema: `SCHEMA_BASE` (a git ref; its merge base with HEAD is used), else HEAD
 * when schema.gql has uncommitted changes, else HEAD~1 (the change the last commit made).
 * Run by `npm run lint` (and so by .ci/run).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { buildSchema } = require('graphql');
const { diff, DiffRule, CriticalityLevel } = require('@graphql-inspector/core');

// The repository to check; SCHEMA_CHECK_ROOT lets the gate's own test point it at a scratch repository.
const ROOT = process.env.SCHEMA_CHECK_ROOT ?? path.join(__dirname, '..');
const SCHEMA = 'schema.gql';
const CHANGES_DOC = path.join('docs', 'schema-changes.md');

function git(...args) {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

function tryGit(...args) {
  try {
    return git(...args);
  } catch {
    return null;
  }
}

/** The ref whose schema.gql is the baseline, or null when there is none (first commit, shallow clone). */
function baseRef(current) {
  if (process.env.SCHEMA_BASE) {
    const mergeBase = tryGit('merge-base', process.env.SCHEMA_BASE, 'HEAD');
    if (!mergeBase) throw new Error(`SCHEMA_BASE=${process.env.SCHEMA_BASE} has no merge base with HEAD`);
    return mergeBase.trim();
  }
  const atHead = tryGit('show', `HEAD:${SCHEMA}`);
  if (atHead !== null && atHead !== current) return 'HEAD';
  return tryGit('rev-parse', '--verify', '--quiet', 'HEAD~1') ? 'HEAD~1' : null;
}

/** Every `backticked` term of the changes document. */
function listedCoordinates(doc) {
  return new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1].trim()));
}

async function main() {
  const current = fs.readFileSync(path.join(ROOT, SCHEMA), 'utf8');
  const ref = baseRef(current);
  const previous = ref ? tryGit('show', `${ref}:${SCHEMA}`) : null;
  if (previous === null) {
    console.log(`schema-check: no previous ${SCHEMA} to compare with; nothing to check`);
    return;
  }
  const changes = await diff(buildSchema(previous), buildSchema(current), [DiffRule.suppressRemovalOfDeprecatedField]);
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const docPath = path.join(ROOT, CHANGES_DOC);
  const listed = listedCoordinates(fs.existsSync(docPath) ? fs.readFileSync(docPath, 'utf8') : '');
  const unlisted = breaking.filter((c) => !listed.has(c.path ?? c.message));

  const label = ref === 'HEAD' ? 'HEAD (uncommitted changes)' : ref;
  console.log(
    `schema-check: ${changes.length} change(s) since ${label}, ${breaking.length} breaking, ${unlisted.length} not in ${CHANGES_DOC}`,
  );
  if (unlisted.length === 0) return;
  console.error(`\nBreaking schema changes that ${CHANGES_DOC} does not list:`);
  for (const c of unlisted) console.error(`  - \`${c.path ?? c.message}\`: ${c.message}`);
  console.error(
    '\nOld clients would break. Deprecate first (`@deprecated`, remove in a later release), or, if the break is' +
      ` intended, list each coordinate above in backticks in ${CHANGES_DOC} with the reason.`,
  );
  process.exitCode = 1;
}

main().catch((err) => {
  console.error(`schema-check: ${err.message}`);
  process.exitCode = 1;
});
