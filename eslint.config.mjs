// @ts-check
/**
 * The lint gate (`npm run lint`, run by .ci/run before the tests): typescript-eslint with the
 * type-aware rules that catch real bugs (floating promises, misused promises), plus the layering
 * of ../shared/ARCHITECTURE.md written as import restrictions. test/lint-gate.e2e-spec.ts feeds
 * this config files that break each boundary, so a rule cannot silently disappear.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Feature modules (src/<feature>/). Every other folder of src/ is infrastructure or app wiring. */
export const FEATURES = [
  'users',
  'auth',
  'teachers',
  'reviews',
  'bookings',
  'media',
  'chat',
  'notifications',
  'recordings',
  'payments',
  'seed',
  'system',
];

/** Infrastructure knows no feature: features plug into it through registries and ports. */
export const INFRASTRUCTURE = [
  'graphql',
  'stores',
  'events',
  'jobs',
  'idempotency',
  'observability',
  'health',
  'config',
  'realtime',
  'rate-limit',
  'bootstrap',
  'lifecycle',
];

/** Files that may hold storage keys, queries and store clients: repositories, keys, Mongoose schemas. */
const STORAGE_FILE = String.raw`\.(repository|keys|schema|store)(\.ts)?$`;
const STORE_CLIENT_MODULES = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-s3',
  'mongoose',
  'ioredis',
];
const anyFeature = FEATURES.join('|');

const restrict = (patterns, paths = []) => ['error', { patterns, paths }];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', '.local/**', 'coverage/**', 'test/lint-fixtures/**', '**/*.js', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Type-aware rules that catch bugs rather than style.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, properties: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Unused code is a compiler error (noUnusedLocals/noUnusedParameters); `_name` marks a deliberate skip.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
        },
      ],
      // Tests and test support speak GraphQL JSON, whose shapes are `any` by nature.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-namespace': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },

  // Every "now" comes from the injected Clock, so tests can move time (TestClock) instead of waiting.
  {
    files: ['src/**/*.ts', 'libs/dynamo/**/*.ts', 'libs/mongo/**/*.ts', 'libs/common/**/*.ts'],
    ignores: ['**/*.spec.ts', 'src/main.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read the time from the injected Clock (libs/common clock.ts), not Date.now().',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read the time from the injected Clock (libs/common clock.ts), not new Date().',
        },
      ],
    },
  },

  // ---- Boundaries (ARCHITECTURE.md, "Boundaries")

  // Libraries are reusable infrastructure: they import no application code.
  {
    files: ['libs/dynamo/**/*.ts', 'libs/mongo/**/*.ts', 'libs/common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        {
          regex: String.raw`(^|/)src(/|$)`,
          message: 'libs/ is infrastructure: it must not import application code from src/.',
        },
        { regex: '^@app/testing', message: 'Only tests import @app/testing.' },
      ]),
    },
  },
  // Infrastructure of src/ knows no feature; features register loaders, socket hooks and handlers with it.
  {
    files: INFRASTRUCTURE.map((dir) => `src/${dir}/**/*.ts`),
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        {
          regex: String.raw`(^|/)\.\./(\.\./)*(${anyFeature})(/|$)`,
          message:
            'Infrastructure imports no feature: let the feature register itself (loaders, socket hooks, event handlers).',
        },
      ]),
    },
  },
  // One block per feature: its own files may use its storage; another feature's storage is off limits.
  ...FEATURES.map((feature) => ({
    files: [`src/${feature}/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [
          {
            regex: String.raw`(^|/)(${FEATURES.filter((f) => f !== feature).join('|')})/.*${STORAGE_FILE}`,
            message: `A feature uses another feature through its service, a port or domain events, never its repository, keys or schema.`,
          },
          {
            regex: String.raw`(^|/)stores/`,
            message: 'Only repositories (and Mongoose schemas/modules) touch a store client.',
          },
        ],
        STORE_CLIENT_MODULES.map((name) => ({
          name,
          allowTypeImports: true,
          message: 'Only repositories touch a store client.',
        })),
      ),
    },
  })),
  // ... except the storage files themselves and module wiring, which may name store clients.
  {
    files: FEATURES.map((f) => `src/${f}/**/*.{repository,schema,module,store}.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        {
          regex: String.raw`(^|/)(${anyFeature})/.*${STORAGE_FILE}`,
          message: "A repository reads its own feature's storage only; another feature is reached through its service.",
        },
      ]),
    },
  },
  // Resolvers are thin: they call services, never repositories or store clients.
  {
    files: ['src/**/*.resolver.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(
        [
          { regex: STORAGE_FILE, message: 'Resolvers call services; only services use repositories.' },
          {
            regex: String.raw`(^|/)stores/`,
            message: 'Resolvers call services; only repositories touch a store client.',
          },
        ],
        STORE_CLIENT_MODULES.map((name) => ({
          name,
          allowTypeImports: true,
          message: 'Resolvers call services; only repositories touch a store client.',
        })),
      ),
    },
  },
);
