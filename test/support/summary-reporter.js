const path = require("node:path");

// Ends a jest run with one plain line, "N passed, N failed[, N skipped]", for tools that read a run's closing line.
// Every skipped test is listed by name before it: the only skips are tests whose external service is missing, and
// their names carry the reason (see external-services.ts), so a skip is never silent.
class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const skippedTests = [];
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === "passed" || test.status === "failed") continue;
        const name = [...test.ancestorTitles, test.title].join(" › ");
        skippedTests.push(`  ${test.status}: ${path.relative(this.rootDir, file.testFilePath)} › ${name}`);
      }
    }
    if (skippedTests.length > 0) process.stdout.write(`\nSkipped tests:\n${skippedTests.join("\n")}\n`);
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\n${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}\n`,
    );
  }
}
module.exports = SummaryReporter;
