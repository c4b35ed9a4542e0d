/**
 * Reads workflow inputs the way the runner hands them over, and parses the typed ones strictly.
 * Strictness is the point: `markdown: flase` must be an error, not a quiet `false`, and
 * `retries: two` must not become NaN.
 */
import { ActionInputError } from './action-input-error.js';
import type { InputName } from './constants.js';

/** The environment inputs come from: normally `process.env`. */
export type InputEnv = Readonly<Record<string, string | undefined>>;

/**
 * The variable the runner sets for an input: `INPUT_` and the name uppercased, spaces turned
 * into underscores, hyphens kept (`tls-verify` -> `INPUT_TLS-VERIFY`).
 */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

// YAML 1.2 core schema booleans (10.3.2), the set @actions/core's getBooleanInput accepts too.
const TRUE_WORDS: readonly string[] = ['true', 'True', 'TRUE'];
const FALSE_WORDS: readonly string[] = ['false', 'False', 'FALSE'];

/** Only decimal digits: no sign, no exponent, no `0x`, nothing `Number()` would also accept. */
const DECIMAL = /^[0-9]+$/;

export interface IntegerRange {
  min: number;
  max: number;
}

/**
 * One view of the inputs: each read returns the trimmed value, '' when the input is absent or
 * blank (the runner passes an absent input with no default as an empty string, or not at all).
 */
export class InputReader {
  readonly #env: InputEnv;

  constructor(env: InputEnv) {
    this.#env = env;
  }

  /** The trimmed value; '' when not given. */
  text(name: InputName): string {
    return (this.#env[inputVariable(name)] ?? '').trim();
  }

  /** The input, else the trimmed environment variable `variable` (e.g. `proxy`, SMTP_PROXY). */
  textOrVariable(name: InputName, variable: string): string {
    return this.text(name) || (this.#env[variable] ?? '').trim();
  }

  /** True when the input has a non-blank value. */
  has(name: InputName): boolean {
    return this.text(name) !== '';
  }

  /** The non-blank lines, each trimmed. */
  lines(name: InputName): string[] {
    return splitLines(this.text(name));
  }

  boolean(name: InputName, fallback: boolean): boolean {
    const value = this.text(name);
    if (value === '') return fallback;
    if (TRUE_WORDS.includes(value)) return true;
    if (FALSE_WORDS.includes(value)) return false;
    throw new ActionInputError(
      name,
      `${JSON.stringify(value)} is not a boolean: use true or false.`,
    );
  }

  /** A whole number in `range`; `fallback` (or undefined) when not given. */
  integer(name: InputName, range: IntegerRange, fallback: number): number;
  integer(name: InputName, range: IntegerRange): number | undefined;
  integer(name: InputName, range: IntegerRange, fallback?: number): number | undefined {
    const value = this.text(name);
    if (value === '') return fallback;
    const number = DECIMAL.test(value) ? Number(value) : Number.NaN;
    if (!(number >= range.min && number <= range.max)) {
      throw new ActionInputError(
        name,
        `${JSON.stringify(value)} is not a whole number from ${range.min} to ${range.max}.`,
      );
    }
    return number;
  }

  /** One of `choices` (lowercase), matched case-insensitively. */
  choice<T extends string>(name: InputName, choices: readonly T[], fallback: T): T {
    const value = this.text(name);
    if (value === '') return fallback;
    const match = choices.find((choice) => choice === value.toLowerCase());
    if (match === undefined) {
      throw new ActionInputError(
        name,
        `${JSON.stringify(value)} is not one of the accepted values: ${choices.join(', ')}.`,
      );
    }
    return match;
  }
}

/** Splits at CRLF, LF or CR; trims each line and drops blank ones. */
export function splitLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
