/** One suite: unit specs beside the code and e2e specs under test/, all against the real local services. */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '(src|libs|test)/.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@app/(dynamo|mongo|common|testing)(/.*)?$': '<rootDir>/libs/$1/src$2',
  },
  globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/leftover-apps.setup.ts'],
  // One test file at a time (they share one moto, which serializes requests), in a worker that is
  // replaced once it holds more than 1 GB after a file: in one process the suite's memory grew by
  // about 100 MB a minute (each file's server modules stay reachable), and near the heap limit
  // garbage collection slowed the late files tenfold and ran CI past its time limit.
  maxWorkers: 1,
  workerIdleMemoryLimit: '1GB',
  testTimeout: 60000,
  // A handle nobody holds any more (a child process or socket of a timed-out hook) must not keep
  // CI waiting after the last file: the run once passed its time limit that way.
  forceExit: true,
};
