// Issue 6 part 4: custom header values (RFC 5322 3.2.5 unstructured text) of any content, up
// to 300 characters: refused only for a character that could break the line, otherwise written
// as exactly one field whose value, with its RFC 2047 encoded-words decoded, is the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeMessage, MimeInputError } from '../../src/mime/index.js';
import { fixedOptions, wireProblems } from '../mime/compose-helpers.js';
import { BREAKS_A_LINE, awkwardString, useErrorCapture } from './arbitraries.js';
import { decodeUnstructured, headerProblems, readEntities } from './message-fields.js';

const capture = useErrorCapture('fuzz-header-values: composer errors');

describe('composeMessage with arbitrary custom header values', () => {
  it('carries custom header values as written, one field each (property, 300 runs)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(awkwardString(8), fc.string({ unit: 'binary', maxLength: 300 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (values) => {
          const headers = values.map((value, i): [string, string] => [`X-Field-${i}`, value]);
          let bytes: Uint8Array;
          try {
            bytes = composeMessage(
              { from: 'ci@example.com', to: 'dev@example.com', text: 'x', headers },
              fixedOptions(),
            ).bytes;
          } catch (error) {
            capture(error);
            expect(error).toBeInstanceOf(MimeInputError);
            // Only a character that could end or break the line is a reason to refuse.
            expect(values.join('')).toMatch(BREAKS_A_LINE);
            return;
          }
          // ... and it is always one (U+2028 in particular: some readers end a line there).
          expect(values.join('')).not.toMatch(BREAKS_A_LINE);
          expect(wireProblems(bytes)).toEqual([]);
          expect(headerProblems(bytes)).toEqual([]);
          const top = readEntities(bytes)[0]?.fields ?? [];
          values.forEach((value, i) => {
            const fields = top.filter((f) => f.name === `X-Field-${i}`);
            expect(fields).toHaveLength(1);
            expect(decodeUnstructured(fields[0]?.value ?? '')).toBe(value);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
