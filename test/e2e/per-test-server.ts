/**
 * The set-up every end-to-end file shares: each test starts the servers it needs through the
 * function `useActionServers` returns, and they are closed after that test, passed or failed;
 * the folders the runs made are removed after the file.
 */
import { afterAll } from 'vitest';
import { cleanupActionRuns } from '../helpers/action-run.js';
import {
  startActionServer,
  type ActionServer,
  type ActionServerOptions,
} from '../helpers/action-server.js';
import { useCleanups } from '../helpers/send-fixtures.js';

/** Registers the calling file's hooks; returns `startActionServer` with the closing taken care of. */
export function useActionServers(): (options?: ActionServerOptions) => Promise<ActionServer> {
  const defer = useCleanups();
  afterAll(cleanupActionRuns);
  return async (options) => defer(await startActionServer(options));
}
