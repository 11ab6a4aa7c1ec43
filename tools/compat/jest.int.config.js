module.exports = {
  displayName: 'compat:integration',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int.spec.ts'],
  // The suite itself runs under the `compat` target (jest.compat.config.js).
  testPathIgnorePatterns: ['/src/compat\\.int\\.spec\\.ts$'],
  testTimeout: 120000,
};
