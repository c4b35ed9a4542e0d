// Builds the environment the runner gives an action, for readSettings tests: each input as an
// INPUT_* variable, named by the tests' own runnerVariable (not by src/action/input-reader.ts,
// so a bug in that mapping cannot hide from the tests). Also the shape and the check of the
// invalid-input cases.
import { expect } from 'vitest';
import { ActionInputError } from '../../src/action/action-input-error.js';
import { readSettings, type Settings } from '../../src/action/settings.js';
import { runnerVariable } from '../helpers/action-run.js';

export type Inputs = Record<string, string>;

/** What every send-mode test needs; tests override or blank out entries. */
export const baseInputs: Inputs = {
  server: 'smtp.example.com',
  from: 'ci@example.com',
  to: 'dev@example.com',
};

export function envFrom(inputs: Inputs, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...extra };
  for (const [name, value] of Object.entries(inputs)) env[runnerVariable(name)] = value;
  return env;
}

export interface Recorded {
  masked: string[];
  settings: Settings | undefined;
  error: unknown;
}

/** Runs readSettings with a recording mask; never throws, so tests can look at both. */
export async function readWith(inputs: Inputs, extra: NodeJS.ProcessEnv = {}): Promise<Recorded> {
  const masked: string[] = [];
  const mask = (secret: string): void => void masked.push(secret);
  try {
    const settings = await readSettings({ env: envFrom(inputs, extra), mask });
    return { masked, settings, error: undefined };
  } catch (error) {
    return { masked, settings: undefined, error };
  }
}

/** The settings, or the test fails with the error readSettings threw. */
export async function settingsOf(inputs: Inputs, extra: NodeJS.ProcessEnv = {}): Promise<Settings> {
  const { settings, error } = await readWith(inputs, extra);
  if (settings === undefined) throw error;
  return settings;
}

/** The ActionInputError readSettings threw; fails if it threw something else or nothing. */
export async function inputErrorOf(
  inputs: Inputs,
  extra: NodeJS.ProcessEnv = {},
): Promise<ActionInputError> {
  const { settings, error } = await readWith(inputs, extra);
  if (settings !== undefined) throw new Error('expected readSettings to throw, but it returned');
  if (!(error instanceof ActionInputError)) throw error;
  return error;
}

export interface InvalidCase {
  name: string;
  inputs: Inputs;
  env?: NodeJS.ProcessEnv;
  /** The input the error must name. */
  input: string;
  /** Text the message must hold (what is accepted, or what to do). */
  says: string | RegExp;
}

/** One case per value of `input`, each named `<label> <value>`, every error saying `says`. */
export function rejects(
  input: string,
  says: string | RegExp,
  values: readonly string[],
  label = input,
): InvalidCase[] {
  return values.map((value) => ({
    name: `${label} ${value}`,
    inputs: { [input]: value },
    input,
    says,
  }));
}

/**
 * readSettings on `baseInputs` with the case's inputs fails naming the input, first in its
 * message, and saying what would be accepted.
 */
export async function expectInvalid({ inputs, env, input, says }: InvalidCase): Promise<void> {
  const error = await inputErrorOf({ ...baseInputs, ...inputs }, env);
  expect(error.input).toBe(input);
  expect(error.message.startsWith(`Input "${input}": `)).toBe(true);
  // A string is looked for as it is, a RegExp matched.
  expect(error.message).toMatch(says);
}

type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export interface ValidCase {
  name: string;
  inputs: Inputs;
  env?: NodeJS.ProcessEnv;
  /** What the settings must hold (a deep subset). */
  expected: DeepPartial<Settings>;
}

/** readSettings on `baseInputs` with the case's inputs gives settings holding `expected`. */
export async function expectValid({ inputs, env, expected }: ValidCase): Promise<void> {
  const settings = await settingsOf({ ...baseInputs, ...inputs }, env);
  expect(settings).toMatchObject(expected);
}

/** The expected `server` settings, for a case's `expected`. */
export function serverPart(
  expected: DeepPartial<NonNullable<Settings['server']>>,
): DeepPartial<Settings> {
  return { server: expected };
}

/** The expected `message` settings, for a case's `expected`. */
export function messagePart(expected: DeepPartial<Settings['message']>): DeepPartial<Settings> {
  return { message: expected };
}
