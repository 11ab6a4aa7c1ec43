// Shared Jest settings for every project. Transform with SWC: it is an order of magnitude
// faster than ts-jest on these 2-core machines; type safety comes from each project's
// `typecheck` target instead.
const { join } = require('node:path');
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageReporters: ['text-summary'],
  reporters: ['default', join(__dirname, 'tools/jest/results-reporter.js')],
};
