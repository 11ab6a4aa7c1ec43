module.exports = {
  displayName: 'deploy',
  preset: '../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
  // Each test spawns helm or node; on a loaded 2-core machine that can take several seconds.
  testTimeout: 60000,
};
