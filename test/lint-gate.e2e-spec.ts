import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The architecture's boundaries live in eslint.config.mjs. Each fixture in test/lint-fixtures
 * declares the path it pretends to have (`// lint-as: src/...`) and is linted with the project's
 * own configuration at that path, so removing or weakening a rule makes this test fail.
 * ESLint runs in a child process (its flat config is an ES module, which jest's VM cannot load);
 * type information is off there: the fixtures are not part of the TypeScript program, and the
 * boundary and clock rules do not need it.
 */
const ROOT = join(__dirname, '..');
const FIXTURES = join(__dirname, 'lint-fixtures');

const expectations: Record<string, string | null> = {
  'resolver-imports-repository.ts': '@typescript-eslint/no-restricted-imports',
  'lib-imports-feature.ts': '@typescript-eslint/no-restricted-imports',
  'infrastructure-imports-feature.ts': '@typescript-eslint/no-restricted-imports',
  'feature-imports-other-repository.ts': '@typescript-eslint/no-restricted-imports',
  'service-imports-store-client.ts': '@typescript-eslint/no-restricted-imports',
  'service-reads-system-clock.ts': 'no-restricted-syntax',
  'clean-service.ts': null,
};

/** Lints `code` as if it were the file at `path` (relative to the root), with the project's config. */
function lintAs(files: Array<{ path: string; code: string }>): Array<{ ruleIds: Array<string | null> }> {
  const script = `
    import { ESLint } from 'eslint';
    import tseslint from 'typescript-eslint';
    const files = JSON.parse(process.argv[1]);
    const eslint = new ESLint({
      cwd: process.cwd(),
      overrideConfig: [tseslint.configs.disableTypeChecked, { languageOptions: { parserOptions: { projectService: false } } }],
    });
    const out = [];
    for (const f of files) {
      const [result] = await eslint.lintText(f.code, { filePath: f.path });
      out.push({ ruleIds: result.messages.map((m) => m.ruleId) });
    }
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(files)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('the lint gate encodes the boundaries', () => {
  const fixtures = Object.keys(expectations).map((name) => {
    const code = readFileSync(join(FIXTURES, name), 'utf8');
    const as = /^\/\/ lint-as: (\S+)/.exec(code)?.[1];
    if (!as) throw new Error(`${name} has no "// lint-as:" line`);
    return { name, path: join(ROOT, as), code };
  });
  let results: Array<{ ruleIds: Array<string | null> }>;
  beforeAll(() => {
    results = lintAs(fixtures.map(({ path, code }) => ({ path, code })));
  });

  it('has an expectation for every fixture', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(expectations).sort());
  });

  it.each(Object.entries(expectations))('%s', (fixture, rule) => {
    const { ruleIds } = results[fixtures.findIndex((f) => f.name === fixture)];
    if (rule === null) expect(ruleIds).toEqual([]);
    else expect(ruleIds).toContain(rule);
  });
});
