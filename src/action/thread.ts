/**
 * `thread: true`: every run of one workflow on one branch (or tag) lands in one conversation in
 * the recipient's mail reader, instead of one new conversation per run.
 */

import { createHash } from 'node:crypto';
import type { GitHubInfo } from '../template/index.js';

/** The threading headers a message gets: In-Reply-To and References (RFC 5322 3.6.4). */
export interface ThreadHeaders {
  inReplyTo: string | undefined;
  references: string[];
}

/**
 * `.invalid` is reserved (RFC 2606 2) and can never be a real domain, so the thread id can never
 * collide with a Message-ID some other program generated.
 */
const THREAD_ID_DOMAIN = 'thread.smtp-notify.invalid';

/**
 * The stable id of a workflow's conversation: the same for every run of `workflow` on `ref` in
 * `repository` on one GitHub server, different for any other. Hashed so that branch names with
 * characters a msg-id cannot hold (RFC 5322 3.6.4 allows dot-atom text only) still work, and so
 * the id says nothing about the repository to anyone who only sees the header.
 */
export function createThreadId(
  github: Pick<GitHubInfo, 'server_url' | 'repository' | 'workflow' | 'ref'>,
): string {
  // A NUL between the parts: no value can contain it, so ('a', 'bc') and ('ab', 'c') differ.
  const key = [github.server_url, github.repository, github.workflow, github.ref].join('\0');
  const hex = createHash('sha256').update(key, 'utf8').digest('hex');
  return `<${hex}@${THREAD_ID_DOMAIN}>`;
}

/**
 * In-Reply-To and References for a message. With `thread`, every message names the same thread
 * id as its parent, although no message with that id is ever sent. That still threads, because
 * readers group on the ids in References and In-Reply-To, not on finding the parent in the
 * mailbox (GitHub's own notification mail works this way: every mail about one pull request
 * refers to an id like `<owner/repo/pull/1@github.com>` that was never a message):
 * - Thunderbird and other readers that follow the JWZ threading algorithm make a placeholder
 *   for a parent they have not seen and hang every message that names it underneath, so the
 *   runs form one thread under a missing root.
 * - Outlook's conversation view links messages through the same headers (we write no
 *   Thread-Index, its own header, so it falls back to them and to the subject).
 * - Gmail groups messages that share an id in these headers ONLY when the subjects also match
 *   (a leading "Re:" aside). The default subject carries the run number and status, so it
 *   changes per run: users who want one Gmail conversation must give a fixed `subject`.
 * An explicit `in-reply-to` stays the direct parent and the thread id goes first in
 * References, as the root of the conversation (RFC 5322 3.6.4: References lists ancestors
 * oldest first).
 */
export function createThreadHeaders(
  github: Pick<GitHubInfo, 'server_url' | 'repository' | 'workflow' | 'ref'>,
  options: { thread: boolean; inReplyTo: string | undefined },
): ThreadHeaders {
  const explicit = options.inReplyTo;
  if (!options.thread) {
    return { inReplyTo: explicit, references: explicit === undefined ? [] : [explicit] };
  }
  const threadId = createThreadId(github);
  if (explicit === undefined || explicit === threadId) {
    return { inReplyTo: threadId, references: [threadId] };
  }
  return { inReplyTo: explicit, references: [threadId, explicit] };
}
