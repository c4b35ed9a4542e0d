import { describe, expect, it } from 'vitest';
import { SmtpInputError } from '../../src/smtp/errors.js';
import { defaultTimeouts, resolveTimeouts } from '../../src/smtp/timeouts.js';

describe('resolveTimeouts', () => {
  it('fills in CI-sized defaults', () => {
    expect(resolveTimeouts()).toEqual({
      connect: 30_000,
      greeting: 60_000,
      command: 60_000,
      dataBlock: 60_000,
      finalReply: 300_000,
      total: 600_000,
    });
    expect(resolveTimeouts()).not.toBe(defaultTimeouts);
  });

  it('keeps what is given and defaults the rest', () => {
    const timeouts = resolveTimeouts({ command: 5_000, total: undefined });
    expect(timeouts.command).toBe(5_000);
    expect(timeouts.total).toBe(600_000);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '5000'])('refuses %s', (value) => {
    expect(() => resolveTimeouts({ connect: value as number })).toThrow(SmtpInputError);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => resolveTimeouts({ conect: 5 } as never)).toThrow(/Unknown timeout "conect"/);
  });

  it('says what it got', () => {
    expect(() => resolveTimeouts({ greeting: Number.NaN })).toThrow(/got NaN/);
  });
});
