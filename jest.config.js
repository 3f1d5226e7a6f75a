/** @type {import('jest').Config} */

// ESM mode, as `nest new` sets it up for Nest 12: node --experimental-vm-modules + ts-jest.
// ts-jest only transpiles here; `npm run typecheck` is the type gate.
const config = {
  rootDir: '.',
  testEnvironment: 'node',
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
  collectCoverageFrom: ['src/**/*.ts', 'libs/amity-webhook/src/**/*.ts'],
  coverageDirectory: './coverage',
};

export default config;
