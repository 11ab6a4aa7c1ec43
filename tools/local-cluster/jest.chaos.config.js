// The fault suite (`nx chaos local-cluster`, run by `npm test` after the compatibility suite):
// real Kafka clients against whole local clusters while members, brokers or coordinators are
// killed with SIGKILL. Minutes per test, so apart from the integration target.
module.exports = {
  displayName: 'local-cluster:chaos',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.chaos.spec.ts'],
  testTimeout: 900000,
};
