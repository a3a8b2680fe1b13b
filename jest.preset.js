// One jest set-up for every workspace: TypeScript through ts-jest (transpile only; `npm run
// typecheck` type-checks), real PostgreSQL through the kit's global set-up.
const path = require('node:path');

/** @param {string} dir the package folder; @param {{ database?: boolean }} options */
module.exports = function preset(dir, options = {}) {
  return {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/{src,test}/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(dir, 'tsconfig.json') }],
    },
    setupFiles: ['reflect-metadata'],
    testTimeout: 60000,
    ...(options.database
      ? {
          globalSetup: require.resolve('@nimo/kit/testing/global-setup'),
          globalTeardown: require.resolve('@nimo/kit/testing/global-teardown'),
        }
      : {}),
  };
};
