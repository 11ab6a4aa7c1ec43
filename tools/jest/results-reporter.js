// Jest reporter that writes one small JSON summary per Jest run to test-results/jest/.
// `npm test` runs many Jest processes through Nx; tools/scripts/test-summary.mjs adds these files
// up into the single closing line CI reads. The files are also declared as the test targets'
// Nx outputs, so a cached (skipped) run restores its counts instead of silently losing them.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class ResultsReporter {
  constructor(globalConfig, _options, context) {
    this.globalConfig = globalConfig;
    this.context = context;
  }

  onRunComplete(testContexts, results) {
    const [first] = [...testContexts];
    const displayName = first?.config?.displayName?.name ?? first?.config?.displayName ?? 'unknown';
    const dir = join(__dirname, '..', '..', 'test-results', 'jest');
    mkdirSync(dir, { recursive: true });
    const failedSuites = results.testResults
      .filter((suite) => suite.testExecError || suite.failureMessage)
      .map((suite) => suite.testFilePath);
    writeFileSync(
      join(dir, `${String(displayName).replace(/[^a-zA-Z0-9_.-]/g, '_')}.json`),
      JSON.stringify(
        {
          displayName,
          passed: results.numPassedTests,
          failed: results.numFailedTests,
          skipped: results.numPendingTests + results.numTodoTests,
          failedSuites: results.numFailedTestSuites,
          failedSuitePaths: failedSuites,
          // Jest's own aggregated `success` is not final when reporters run; derive it.
          success:
            results.numFailedTests === 0 &&
            results.numFailedTestSuites === 0 &&
            results.numRuntimeErrorTestSuites === 0,
        },
        null,
        2,
      ) + '\n',
    );
  }
}

module.exports = ResultsReporter;
