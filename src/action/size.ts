/**
 * Byte sizes as people write them in a workflow: `25MB`, `500 KB`, `10MiB`, or a plain byte
 * count. Both families are accepted because both are in common use, and each unit means what
 * its standard says: kB/MB/GB are powers of 1000 (SI), KiB/MiB/GiB powers of 1024 (IEC 80000-13).
 */
import { ActionInputError } from './action-input-error.js';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

const SIZE = /^([0-9]+(?:\.[0-9]+)?) ?([A-Za-z]*)$/;

const ACCEPTED =
  'a byte count or a number with B, KB, MB, GB, KiB, MiB or GiB (e.g. 25MB, 500 KB, 10MiB)';

/** Parses a size of at least 1 byte, rounded down to whole bytes. Units are case-insensitive. */
export function parseSize(input: string, value: string): number {
  const match = SIZE.exec(value);
  const unit = match?.[2] ?? '';
  const factor = unit === '' ? 1 : UNITS[unit.toLowerCase()];
  const number = Number(match?.[1]);
  // A fraction of a byte count ("1.5") is meaningless; a fraction of a unit ("1.5MB") is not.
  const fractionalBytes = unit === '' && match?.[1]?.includes('.') === true;
  const bytes = factor === undefined || fractionalBytes ? Number.NaN : Math.floor(number * factor);
  if (!(bytes >= 1 && Number.isSafeInteger(bytes))) {
    throw new ActionInputError(
      input,
      `${JSON.stringify(value)} is not a size: expected ${ACCEPTED}.`,
    );
  }
  return bytes;
}
