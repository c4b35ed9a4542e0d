import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventPayloadError, readEventPayload } from '../../src/action/event-payload.js';

async function payloadFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'smtp-notify-event-')), 'event.json');
  await writeFile(path, text);
  return path;
}

describe('readEventPayload', () => {
  it('reads the JSON object the runner wrote', async () => {
    const path = await payloadFile('{"ref":"refs/heads/main","commits":[]}');
    expect(await readEventPayload({ GITHUB_EVENT_PATH: path })).toEqual({
      ref: 'refs/heads/main',
      commits: [],
    });
  });

  it('gives {} outside a runner: no variable, or no file', async () => {
    expect(await readEventPayload({})).toEqual({});
    expect(await readEventPayload({ GITHUB_EVENT_PATH: '' })).toEqual({});
    const missing = join(tmpdir(), 'smtp-notify-no-such-dir', 'event.json');
    expect(await readEventPayload({ GITHUB_EVENT_PATH: missing })).toEqual({});
  });

  it.each(['{"ref":', '', '[1, 2]', 'null', '"text"'])(
    'refuses a file that is not a JSON object: %j',
    async (text) => {
      const path = await payloadFile(text);
      await expect(readEventPayload({ GITHUB_EVENT_PATH: path })).rejects.toThrow(
        EventPayloadError,
      );
    },
  );
});
