// Load (issue 6, group 8) against Postfix: 200 runs of the built action, 4 at a time, over
// STARTTLS + AUTH on the submission port. No run fails, and each message is in the Maildir
// exactly once.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cleanupActionRuns, runAction } from '../helpers/action-run.js';
import { mapWithConcurrency } from '../reliability/bounded-concurrency.js';
import { countByMessageId } from './maildir-index.js';
import { mta, requireMta } from './mta-settings.js';
import { submissionInputs } from './submission-inputs.js';

const RUNS = 200;

afterAll(cleanupActionRuns);

async function runOnce(index: number) {
  const run = await runAction({
    inputs: {
      ...submissionInputs('load.smtp-notify.test'),
      subject: `load run ${index}`,
      body: `Run ${index} of ${RUNS}.`,
    },
  });
  return {
    index,
    exitCode: run.exitCode,
    result: run.outputs.result,
    id: run.outputs['message-id'],
  };
}

/** Polls until every id in `ids` is in the inbox; fails after `timeoutMs`. */
function waitForAll(ids: readonly string[], sinceMs: number, timeoutMs = 60_000): Promise<void> {
  return vi.waitFor(
    async () => {
      const counts = await countByMessageId(requireMta().maildir, 'inbox', sinceMs);
      const missing = ids.filter((id) => !counts.has(id));
      if (missing.length > 0) throw new Error(`${missing.length} messages never arrived`);
    },
    { timeout: timeoutMs, interval: 250 },
  );
}

describe.skipIf(mta === undefined)('load against Postfix', () => {
  it(`${RUNS} action runs, 4 at a time: no run fails, each message in the Maildir once`, async () => {
    // Maildir names carry whole seconds: start a second early so no delivery is left out.
    const since = Date.now() - 1_000;
    const runs = await mapWithConcurrency(
      Array.from({ length: RUNS }, (_, index) => index),
      4,
      runOnce,
    );
    expect(runs.filter((run) => run.exitCode !== 0 || run.result !== 'sent')).toEqual([]);
    const ids = runs.map((run) => run.id ?? '');
    expect(new Set(ids).size).toBe(RUNS);

    await waitForAll(ids, since);
    // A duplicate would be queued with its original: give the queue time to deliver one.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const counts = await countByMessageId(requireMta().maildir, 'inbox', since);
    expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
  }, 300_000);
});
