/**
 * The webhook payload of the event that started the workflow, which the runner writes to the
 * file named by GITHUB_EVENT_PATH. Templates read it as `event`.
 */

import { readFile } from 'node:fs/promises';

/** The payload file is missing or is not a JSON object. */
export class EventPayloadError extends Error {
  override readonly name = 'EventPayloadError';
}

/**
 * Reads the payload. No variable or no file (a run outside GitHub, e.g. with `act` or locally)
 * gives `{}`: templates then see no `event.*` values, which `{% if %}` handles. A file that is
 * there but not a JSON object is a broken runner or a hand-made test setup: better to stop than
 * to send a report that silently lacks its facts.
 */
export async function readEventPayload(
  env: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, unknown>> {
  const path = env.GITHUB_EVENT_PATH;
  if (path === undefined || path === '') return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new EventPayloadError(`GITHUB_EVENT_PATH ${path} cannot be read: ${String(error)}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new EventPayloadError(
      `GITHUB_EVENT_PATH ${path} is not valid JSON (${(error as Error).message}); the runner ` +
        'writes the event payload there, so a step before this one may have overwritten it.',
    );
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new EventPayloadError(`GITHUB_EVENT_PATH ${path} does not hold a JSON object.`);
  }
  return payload as Record<string, unknown>;
}
