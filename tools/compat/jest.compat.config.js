// The compatibility suite (issue 8) is its own target (`npx nx run compat:compat`), not part of
// `integration`: it starts a whole cluster and several client runtimes.
module.exports = {
  displayName: 'compat:compat',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/compat.int.spec.ts'],
  testTimeout: 300000,
};
