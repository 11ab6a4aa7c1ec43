// The benchmark smoke run (its own Nx target `bench-smoke`, run by `npm test` after the integration
// suites): a 10-second workload against a local Stratus cluster.
module.exports = {
  displayName: 'bench-harness:bench-smoke',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.smoke.spec.ts'],
  testTimeout: 300000,
};
