module.exports = {
  displayName: 'kafka-messages:integration',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
  // The time-bounded decoder fuzz (src/fuzz/*.fuzz.ts, FUZZ_SECONDS, default 20 s) runs here too,
  // so CI's integration pass exercises it; `nx run kafka-messages:fuzz` runs it alone.
  testMatch: ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/src/**/*.fuzz.ts'],
  testTimeout: 300000,
};
