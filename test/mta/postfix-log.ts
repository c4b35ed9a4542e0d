/**
 * Reading Postfix's own account of a session from its log (`maillog_file` in config.sh), for
 * evidence a Maildir cannot give: how many MAIL, RCPT and DATA commands one connection carried,
 * and whether any was refused.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { vi } from 'vitest';

/** config.sh puts the log at `$var/log/postfix.log`, next to the Maildirs in `$var/mail`. */
export function postfixLogPath(maildir: string): string {
  return join(maildir, '..', 'log', 'postfix.log');
}

/** The queue id in Postfix's reply to the final dot: `250 2.0.0 Ok: queued as 4F2A1B3C4D`. */
export function queueIdOf(replyLines: readonly string[]): string {
  const match = /queued as ([0-9A-Za-z]+)/.exec(replyLines.join(' '));
  if (match?.[1] === undefined) throw new Error(`no queue id in ${JSON.stringify(replyLines)}`);
  return match[1];
}

/**
 * The `disconnect from ...` line of the session that queued `queueId`: smtpd(8) ends each
 * session with one, counting its commands (`mail=1 rcpt=1 data=1`, `data=0/1` when one of one
 * was refused). One smtpd process serves one session at a time, so the first disconnect line
 * of the same process after the queue id's `client=` line is that session's, whatever other
 * sessions run at the same time.
 */
function findSessionSummary(log: string, queueId: string): string | undefined {
  const lines = log.split('\n');
  const start = lines.findIndex((line) => line.includes(` ${queueId}: client=`));
  const process = /(postfix\/[a-z]+\/smtpd\[\d+\]):/.exec(lines[start] ?? '')?.[1];
  if (start < 0 || process === undefined) return undefined;
  return lines.slice(start + 1).find((line) => line.includes(`${process}: disconnect from `));
}

/** Polls the log until the session that queued `queueId` has ended; fails after `timeoutMs`. */
export function waitForSessionSummary(
  maildir: string,
  queueId: string,
  timeoutMs = 10_000,
): Promise<string> {
  return vi.waitFor(
    async () => {
      const log = await readFile(postfixLogPath(maildir), 'utf8');
      const summary = findSessionSummary(log, queueId);
      if (summary === undefined) {
        throw new Error(`no end of the session that queued ${queueId} in the Postfix log`);
      }
      return summary;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/**
 * Refusals logged since `offset` (a length of the log read earlier) for clients that greeted
 * with `heloName`: smtpd(8) names the EHLO argument in each `reject:` line (`helo=<...>`).
 */
export async function readRejectionsSince(
  maildir: string,
  offset: number,
  heloName: string,
): Promise<string[]> {
  const log = await readFile(postfixLogPath(maildir));
  return log
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.includes(' reject: ') && line.includes(`helo=<${heloName}>`));
}

/** The log's current length in bytes, to read only what comes after it. */
export async function logLength(maildir: string): Promise<number> {
  return (await readFile(postfixLogPath(maildir))).length;
}
