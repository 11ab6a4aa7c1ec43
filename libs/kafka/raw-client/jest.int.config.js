module.exports = {
  displayName: 'kafka-raw-client:integration',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts'],
  testTimeout: 120000,
};
