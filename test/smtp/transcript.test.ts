import { describe, expect, it } from 'vitest';
import { Transcript } from '../../src/smtp/transcript.js';

describe('Transcript', () => {
  it('records client, server and info entries in order', () => {
    const transcript = new Transcript();
    transcript.server('220 mail.test ESMTP');
    transcript.client('EHLO client.test');
    transcript.info('[message: 1234 octets]');
    expect(transcript.entries).toEqual([
      { direction: 'server', text: '220 mail.test ESMTP' },
      { direction: 'client', text: 'EHLO client.test' },
      { direction: 'info', text: '[message: 1234 octets]' },
    ]);
    expect(transcript.format()).toBe(
      'S: 220 mail.test ESMTP\nC: EHLO client.test\n* [message: 1234 octets]',
    );
  });

  it('stores sensitive client lines redacted, keeping AUTH and its mechanism', () => {
    const transcript = new Transcript();
    transcript.client('AUTH PLAIN AHVzZXIAaHVudGVyMg==', { sensitive: true });
    transcript.client('auth xoauth2 dXNlcj1...', { sensitive: true });
    transcript.client('aHVudGVyMg==', { sensitive: true });
    expect(transcript.entries.map((entry) => entry.text)).toEqual([
      'AUTH PLAIN [redacted]',
      'auth xoauth2 [redacted]',
      '[redacted]',
    ]);
    expect(transcript.format()).not.toContain('aHVudGVyMg');
  });

  it('masks registered secrets everywhere, also in server echoes and earlier entries', () => {
    const transcript = new Transcript();
    transcript.server('535 5.7.8 bad password hunter2 for alice');
    transcript.addSecret('hunter2');
    transcript.server('535 hunter2 rejected');
    transcript.info('retrying with hunter2');
    expect(transcript.entries.map((entry) => entry.text)).toEqual([
      '535 5.7.8 bad password [redacted] for alice',
      '535 [redacted] rejected',
      'retrying with [redacted]',
    ]);
    expect(transcript.redact('x hunter2 y')).toBe('x [redacted] y');
  });

  it('masks the longest secret first so no fragment survives', () => {
    const transcript = new Transcript();
    transcript.addSecret('abc');
    transcript.addSecret('abcdef');
    transcript.server('token abcdef');
    expect(transcript.entries[0]?.text).toBe('token [redacted]');
  });

  it('ignores an empty secret instead of masking between every character', () => {
    const transcript = new Transcript();
    transcript.addSecret('');
    transcript.server('250 ok');
    expect(transcript.entries[0]?.text).toBe('250 ok');
  });

  it('shows control characters escaped so an entry stays one printable line', () => {
    const transcript = new Transcript();
    transcript.server('550 no\r\n::error::forged\u001b[31m');
    expect(transcript.entries[0]?.text).toBe('550 no\\u000d\\u000a::error::forged\\u001b[31m');
  });

  it('redacts a secret holding a control character before escaping', () => {
    const transcript = new Transcript();
    transcript.addSecret('pass\tword');
    transcript.server('535 pass\tword');
    expect(transcript.entries[0]?.text).toBe('535 [redacted]');
  });

  it('keeps only the most recent entries and counts what it dropped', () => {
    const transcript = new Transcript({ maxEntries: 3 });
    for (let i = 1; i <= 5; i += 1) transcript.client(`NOOP ${i}`);
    expect(transcript.entries.map((entry) => entry.text)).toEqual(['NOOP 3', 'NOOP 4', 'NOOP 5']);
    expect(transcript.droppedCount).toBe(2);
    expect(transcript.format().split('\n')[0]).toBe('* [2 earlier entries dropped]');
  });

  it('bounds itself at 1,000 entries by default', () => {
    const transcript = new Transcript();
    for (let i = 0; i < 1_200; i += 1) transcript.info(String(i));
    expect(transcript.entries).toHaveLength(1_000);
    expect(transcript.entries[0]?.text).toBe('200');
  });

  it('hands out copies: callers cannot rewrite what was recorded', () => {
    const transcript = new Transcript();
    transcript.addSecret('s3cret');
    transcript.client('USER x');
    const [entry] = transcript.entries;
    if (entry) entry.text = 's3cret';
    expect(transcript.entries[0]?.text).toBe('USER x');
  });
});
