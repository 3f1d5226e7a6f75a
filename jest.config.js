/** @type {import('jest').Config} */

// ESM mode, as `nest new` sets it up for Nest 12: node --experimental-vm-modules + ts-jest.
// ts-jest only transpiles here; `npm run typecheck` is the type gate.
const config = {
  rootDir: '.',
  testEnvironment: 'node',
  // Suites boot real apps, embedded PostgreSQL and Redis: 5 s is too tight on a loaded 2-core machine.
  testTimeout: 20_000,
  // Suites run real Redis, BullMQ and PostgreSQL clients; one that a failing suite could not close
  // must not keep CI waiting after the results are in (each suite still closes what it opens).
  forceExit: true,
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    // The sample app imports the library by its package name, as a host would.
    '^nestjs-amity-webhook$': '<rootDir>/libs/amity-webhook/src/index.ts',
    '^nestjs-amity-webhook/testing$': '<rootDir>/libs/amity-webhook/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // A Redis for the suites that need one: REDIS_URL when set (checked), otherwise a redis-server
  // started from PATH for this run. Redis suites read it through test/support/test-redis.ts.
  globalSetup: '<rootDir>/libs/amity-webhook/test/support/redis.global-setup.ts',
  globalTeardown: '<rootDir>/libs/amity-webhook/test/support/redis.global-teardown.ts',
  collectCoverageFrom: ['src/**/*.ts', 'libs/amity-webhook/src/**/*.ts'],
  coverageDirectory: './coverage',
};

export default config;
