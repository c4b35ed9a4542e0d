import { describe, expect, it } from 'vitest';
import { computeBackoff, defaultBackoff, formatSeconds, sleep } from '../../src/action/backoff.js';

describe('computeBackoff', () => {
  it('draws under a ceiling of 2 s, doubling per retry, capped at 30 s', () => {
    const top = (): number => 1;
    expect([1, 2, 3, 4, 5, 6, 10].map((retry) => computeBackoff(retry, top))).toEqual([
      2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(defaultBackoff).toEqual({ baseMs: 2_000, factor: 2, capMs: 30_000 });
  });

  it('is full jitter: anywhere from zero to the ceiling', () => {
    expect(computeBackoff(3, () => 0)).toBe(0);
    expect(computeBackoff(3, () => 0.25)).toBe(2_000);
    expect(computeBackoff(1, () => 0.999)).toBe(1_998);
  });

  it('keeps a misbehaving random source within the ceiling', () => {
    expect(computeBackoff(1, () => 7)).toBe(2_000);
    expect(computeBackoff(1, () => -1)).toBe(0);
  });
});

describe('sleep', () => {
  it('ends early when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('returns at once for an already aborted signal', async () => {
    await sleep(60_000, AbortSignal.abort());
  });
});

describe('formatSeconds', () => {
  it('shows tenths only when there are some', () => {
    expect(formatSeconds(3_240)).toBe('3.2 s');
    expect(formatSeconds(300_000)).toBe('300 s');
    expect(formatSeconds(40)).toBe('0 s');
  });
});
