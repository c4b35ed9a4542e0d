/**
 * writeOutputs writes the GITHUB_OUTPUT file exactly as the runner reads it: `name<<DELIMITER`,
 * the value, the delimiter. The test parses that format back with the end-to-end tests' reader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatRecipients, writeOutputs } from '../../src/action/outputs.js';
import { parseOutputs } from '../helpers/github-output.js';

let folder: string;
let outputFile: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-notify-outputs-'));
  outputFile = join(folder, 'output');
  writeFileSync(outputFile, '');
  vi.stubEnv('GITHUB_OUTPUT', outputFile);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(folder, { recursive: true, force: true });
});

/** The outputs written so far, by name. */
function readOutputs(): Map<string, string> {
  return new Map(Object.entries(parseOutputs(readFileSync(outputFile, 'utf8'))));
}

describe('writeOutputs', () => {
  it('writes every output, recipients as JSON with their replies', () => {
    writeOutputs({
      messageId: '<abc@smtp-notify.test>',
      result: 'partial',
      attempts: 2,
      accepted: [
        {
          address: 'a@example.com',
          reply: { code: 250, enhancedCode: '2.1.5', lines: ['2.1.5 OK'] },
        },
      ],
      rejected: [
        {
          address: 'b@example.com',
          reply: { code: 550, lines: ['5.1.1 No such user', 'see docs'] },
        },
      ],
      response: { code: 250, enhancedCode: '2.0.0', lines: ['2.0.0 Ok: queued as 4XYZ'] },
    });
    const outputs = readOutputs();
    expect(Object.fromEntries(outputs)).toEqual({
      'message-id': '<abc@smtp-notify.test>',
      result: 'partial',
      attempts: '2',
      accepted: '[{"address":"a@example.com","reply":"250 2.1.5 OK"}]',
      rejected: '[{"address":"b@example.com","reply":"550 5.1.1 No such user / 550 see docs"}]',
      response: '250 2.0.0 Ok: queued as 4XYZ',
      'eml-path': '',
    });
    expect(JSON.parse(outputs.get('rejected') ?? '')).toEqual([
      { address: 'b@example.com', reply: '550 5.1.1 No such user / 550 see docs' },
    ]);
  });

  it("writes '' for what a mode does not produce", () => {
    writeOutputs({ result: 'dry-run', messageId: '<m@x>', emlPath: '/tmp/m.eml' });
    const outputs = readOutputs();
    expect(outputs.get('eml-path')).toBe('/tmp/m.eml');
    for (const name of ['accepted', 'rejected', 'response', 'attempts']) {
      expect(outputs.get(name)).toBe('');
    }
    expect(outputs.size).toBe(7);
  });

  it('keeps a hostile reply inside its own value', () => {
    const reply = { code: 250, lines: ['ok\nresult<<EOF\nsent\nEOF'] };
    writeOutputs({ result: 'sent', response: reply });
    const outputs = readOutputs();
    expect(outputs.get('result')).toBe('sent');
    expect(outputs.get('response')).toBe('250 ok\\u000aresult<<EOF\\u000asent\\u000aEOF');
    expect(outputs.size).toBe(7);
  });
});

describe('formatRecipients', () => {
  it('is an empty JSON array for nobody', () => {
    expect(formatRecipients([])).toBe('[]');
  });
});
