// The language server's initialization options. Only `hotfixPolicy.testClock` exists: a clock
// that starts at a given time and runs `rate` times faster, so that end-to-end tests see the
// "next update due" lens and INC006 change without waiting. It is read from the user's own
// settings only (never a workspace's), so a repository cannot move the clock its records are
// judged by; it is not listed in the Settings UI because it is for tests.
'use strict';

/** @param {{ inspect(key: string): { globalValue?: unknown } | undefined }} configuration
 *  the `hotfixPolicy` section of the settings */
function initializationOptions(configuration) {
  const inspected = configuration.inspect('testClock');
  const testClock = inspected && inspected.globalValue;
  return testClock === undefined || testClock === null ? {} : { hotfixPolicy: { testClock } };
}

module.exports = { initializationOptions };
