import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run lint` checks schema.gql for client developers: descriptions everywhere
 * (graphql-schema-linter with the project's configuration) and no unlisted breaking change
 * (scripts/schema-check.js). Both are run here on altered copies, so neither gate can silently vanish.
 */
const ROOT = join(__dirname, '..');

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

describe('graphql-schema-linter (project configuration)', () => {
  const linter = join(ROOT, 'node_modules', '.bin', 'graphql-schema-linter');
  let scratch: string;
  beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), 'schema-lint-'))));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes the committed schema.gql', () => {
    expect(run(linter, []).status).toBe(0);
  });

  it('fails on a field or an enum value without a description, naming it', () => {
    const schema = readFileSync(join(ROOT, 'schema.gql'), 'utf8');
    const stripped = schema.replace('  """The lesson id."""\n', '').replace('  """By video call."""\n', '');
    expect(stripped).not.toBe(schema);
    const file = join(scratch, 'schema.gql');
    writeFileSync(file, stripped);
    const { status, output } = run(linter, [file]);
    expect(status).not.toBe(0);
    expect(output).toContain('`Lesson.id` is missing a description');
    expect(output).toContain('`LessonFormat.ONLINE` is missing a description');
  });
});

describe('scripts/schema-check.js', () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.test', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });
  const commit = (schema: string, doc?: string) => {
    writeFileSync(join(repo, 'schema.gql'), schema);
    if (doc !== undefined) writeFileSync(join(repo, 'docs', 'schema-changes.md'), doc);
    git('add', '-A');
    git('commit', '-q', '-m', 'change');
  };
  const check = () => run(process.execPath, [join(ROOT, 'scripts', 'schema-check.js')], { SCHEMA_CHECK_ROOT: repo });

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'schema-check-'));
    mkdirSync(join(repo, 'docs'));
    git('init', '-q');
    commit('type Query { a: Int, b: String, c: Int @deprecated(reason: "use a") }', '# Breaking schema changes\n');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('passes additions, and the removal of a field the previous schema deprecated', () => {
    commit('type Query { a: Int, b: String, d: Boolean }');
    const { status, output } = check();
    expect(output).toContain('0 not in docs/schema-changes.md');
    expect(status).toBe(0);
  });

  it('fails on a breaking change of the last commit that the document does not list, naming it', () => {
    commit('type Query { a: Int!, c: Int }');
    const { status, output } = check();
    expect(status).toBe(1);
    expect(output).toContain('`Query.b`');
    expect(output).toContain("Field 'b' was removed from object type 'Query'");
  });

  it('passes once the document lists the change', () => {
    commit('type Query { a: Int, c: Int }', '# Breaking schema changes\n\n- `Query.b` removed: unused.\n');
    expect(check().status).toBe(0);
  });

  it('checks an uncommitted schema.gql against HEAD', () => {
    writeFileSync(join(repo, 'schema.gql'), 'type Query { a: String, b: String, c: Int }');
    const { status, output } = check();
    expect(status).toBe(1);
    expect(output).toContain('since HEAD (uncommitted changes)');
    expect(output).toContain('`Query.a`');
  });
});
