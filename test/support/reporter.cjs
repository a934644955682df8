// Spec output for people, then one plain closing line for CI: `tests: N passed, N failed, N skipped`.
// Skipped suites (services not reachable) also print their reason, loudly, at the end.
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let pending = 0;
    runner.on(EVENT_TEST_PENDING, () => (pending += 1));
    runner.once(EVENT_RUN_END, () => {
      const { passes = 0, failures = 0 } = runner.stats ?? {};
      const reasons = globalThis.__skippedSuites ?? [];
      for (const reason of reasons) process.stdout.write(`SKIPPED: ${reason}\n`);
      process.stdout.write(`tests: ${passes} passed, ${failures} failed, ${pending} skipped\n`);
    });
  }
}
module.exports = SpecWithTotals;
