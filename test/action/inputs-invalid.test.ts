// readSettings on invalid values of the typed inputs: numbers, booleans, enums and sizes. Each
// error names the input at fault, first in its message, and says what would be accepted. Server
// settings and message inputs: inputs-invalid-server.test.ts, inputs-invalid-message.test.ts.
import { describe, expect, it } from 'vitest';
import {
  baseInputs,
  expectInvalid,
  inputErrorOf,
  rejects,
  type InvalidCase,
} from './inputs-env.js';

const valueCases: InvalidCase[] = [
  // Whole numbers: decimal digits only, in range.
  ...rejects('retries', 'from 0 to 10', [
    'two',
    '11',
    '-1',
    '1.5',
    '0x2',
    '2e0',
    '+2',
    '-0',
    '1e1',
    '0x10',
    '3 3',
  ]),
  {
    name: 'retries fullwidth 3',
    inputs: { retries: '３' },
    input: 'retries',
    says: 'from 0 to 10',
  },
  ...rejects('timeout', 'from 1 to 3600', ['1e3', '0', '3601', '5m']),
  ...rejects('port', 'from 1 to 65535', ['0', '65536', '587/tcp']),
  // Booleans: YAML 1.2 core schema only.
  ...rejects('markdown', 'true or false', ['yes', 'on', 'tRUE', '1']),
  ...rejects('tls-verify', 'true or false', ['no']),
  ...rejects('thread', 'true or false', ['y']),
  ...rejects('transcript', 'true or false', ['maybe']),
  // Enums list what they accept.
  ...rejects('tls', 'auto, starttls, implicit, none', ['ssl']),
  {
    name: 'auth ntlm',
    inputs: { auth: 'ntlm', username: 'u', password: 'p4ssword' },
    input: 'auth',
    says: 'plain, login, cram-md5, scram-sha-256, xoauth2',
  },
  ...rejects('priority', 'high, normal, low', ['urgent']),
  ...rejects('if-no-files-found', 'warn, error, ignore', ['fail']),
  ...rejects('on-rejected-recipient', 'fail, warn', ['ignore']),
  ...rejects('mode', 'send, dry-run, verify', ['test']),
  // Sizes name their units.
  ...rejects('attachments-max-size', 'KB, MB, GB, KiB, MiB or GiB', ['25 MBs'], 'max size'),
  ...rejects('attachments-max-size', '25MB', ['0'], 'max size'),
  ...rejects('attachments-max-size', 'byte count', ['lots', '-1MB'], 'max size'),
  {
    name: 'max size 1.5 bytes',
    inputs: { 'attachments-max-size': '1.5' },
    input: 'attachments-max-size',
    says: 'byte count',
  },
];

describe('readSettings on invalid inputs', () => {
  it.each(valueCases)('$name -> $input', expectInvalid);

  it('words a bad number exactly as documented', async () => {
    const error = await inputErrorOf({ ...baseInputs, retries: 'two' });
    expect(error.message).toBe('Input "retries": "two" is not a whole number from 0 to 10.');
  });
});
