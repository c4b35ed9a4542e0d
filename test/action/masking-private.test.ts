// Masking what is private without being a credential: the Bcc addresses (logs of a public
// repository are public, and a transcript, a refusal or a retry line names each recipient) and
// the host of connection-url (the issue has every part of the URL masked). The URLs carry the
// suite's TEST_TOKEN as their password, and each refusal goes to the closing hygiene check.
import { describe, expect, it } from 'vitest';
import { captureErrorForHygiene, TEST_TOKEN } from '../helpers/hygiene.js';
import { baseInputs, readWith as readRecorded, type Recorded } from './inputs-env.js';

/** readWith, handing the error readSettings threw (if any) to the hygiene check. */
async function readWith(...args: Parameters<typeof readRecorded>): Promise<Recorded> {
  const recorded = await readRecorded(...args);
  if (recorded.error !== undefined) captureErrorForHygiene('a readSettings error', recorded.error);
  return recorded;
}

describe('masking Bcc addresses', () => {
  it('masks each Bcc address, as written and in lower case, and no To or Cc address', async () => {
    const { masked, settings } = await readWith({
      ...baseInputs,
      to: 'Dev <dev@example.com>',
      cc: 'lead@example.com',
      bcc: 'Audit Team <Audit@Example.com>, "Doe, Jane" <jane.doe@example.org>\nops@example.net',
    });
    expect(settings).toBeDefined();
    expect(masked).toEqual(
      expect.arrayContaining([
        'Audit@Example.com',
        'audit@example.com',
        'jane.doe@example.org',
        'ops@example.net',
      ]),
    );
    for (const visible of ['dev@example.com', 'lead@example.com', 'ci@example.com']) {
      expect(masked.some((value) => value.toLowerCase().includes(visible))).toBe(false);
    }
    // Display names are not addresses: nothing but the addresses is masked.
    expect(masked.filter((value) => !value.includes('@'))).toEqual([]);
  });

  it('masks the address the client sends for a non-ASCII domain (its A-label form)', async () => {
    const { masked } = await readWith({ ...baseInputs, bcc: 'chef@bücher.example' });
    expect(masked).toEqual(expect.arrayContaining(['chef@bücher.example']));
    expect(masked).toEqual(expect.arrayContaining(['chef@xn--bcher-kva.example']));
  });

  it('masks a Bcc address BEFORE refusing the list it is in', async () => {
    const { masked, error } = await readWith({
      ...baseInputs,
      bcc: 'hidden.person@example.com, not an address',
    });
    expect((error as Error | undefined)?.message).toMatch(/^Input "bcc": /);
    expect(masked).toContain('hidden.person@example.com');
  });

  it('masks nothing for an empty bcc', async () => {
    const { masked } = await readWith({ ...baseInputs, cc: 'lead@example.com' });
    expect(masked).toEqual([]);
  });
});

describe('masking the host of connection-url', () => {
  const noServer = { from: 'ci@example.com', to: 'dev@example.com' };

  it('masks the host as written, percent-decoded and in lower case', async () => {
    const url = `smtp://ci:${TEST_TOKEN}@Relay.Internal.Example:2525`;
    const { masked, settings } = await readWith({ ...noServer, 'connection-url': url });
    expect(settings?.server?.host).toBe('Relay.Internal.Example');
    expect(settings?.serverSource).toBe('connection-url');
    expect(masked).toEqual(
      expect.arrayContaining(['Relay.Internal.Example', 'relay.internal.example']),
    );
    // The port is not secret, and masking "2525" would blank it wherever it appears.
    expect(masked).not.toContain('2525');
  });

  it('masks an IPv6 host without its brackets', async () => {
    const { masked, settings } = await readWith({
      ...noServer,
      'connection-url': `smtps://ci:${TEST_TOKEN}@[2001:db8::25]:465`,
    });
    expect(settings?.server?.host).toBe('2001:db8::25');
    expect(masked).toContain('2001:db8::25');
  });

  it('masks the host BEFORE refusing a URL it cannot parse', async () => {
    const { masked, error } = await readWith({
      ...noServer,
      'connection-url': 'smtp://ci:pa/ss#w?rd@relay.internal.example:587',
    });
    expect((error as Error | undefined)?.message).toMatch(/^Input "connection-url": /);
    expect(masked).toContain('relay.internal.example');
  });

  it('does not mask the host given in the server input', async () => {
    const { masked, settings } = await readWith({
      ...baseInputs,
      server: 'smtp.example.com',
      username: 'u',
      password: TEST_TOKEN,
    });
    expect(settings?.serverSource).toBe('inputs');
    expect(masked).not.toContain('smtp.example.com');
  });
});
