// Jest reporter that writes one small JSON summary per Jest run to test-results/jest/.
// `npm test` runs many Jest processes through Nx; tools/scripts/test-summary.mjs adds these files
// up into the single closing line CI reads. The files are also declared as the test targets'
// Nx outputs, so a cached (skipped) run restores its counts instead of silently losing them.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** The first non-empty lines of a failure message, without colours, at most 400 characters. */
function firstLines(message) {
  const lines = String(message ?? '')
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return lines.slice(0, 3).join(' | ').slice(0, 400);
}

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
    // Which tests failed and the first lines of why, so the closing summary (often all a CI log
    // keeps) names them.
    const failedTests = results.testResults.flatMap((suite) => [
      ...(suite.testExecError ? [{ test: suite.testFilePath, reason: firstLines(suite.testExecError.message) }] : []),
      ...suite.testResults
        .filter((test) => test.status === 'failed')
        .map((test) => ({ test: test.fullName, reason: firstLines(test.failureMessages[0]) })),
    ]);
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
          failedTests,
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
