module.exports = {
  displayName: 'kafka-messages:fuzz',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.fuzz.ts'],
  // The budget (FUZZ_SECONDS, default 20) plus seed generation; a hang fails the run here.
  testTimeout: 300000,
};
