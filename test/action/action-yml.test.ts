// action.yml is the contract with users' workflows; these tests keep it in step with the code
// that reads the inputs (src/action/constants.ts and readSettings).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Defaults, Inputs, Outputs } from '../../src/action/constants.js';
import { inputVariable } from '../../src/action/input-reader.js';
import { readSettings } from '../../src/action/settings.js';

interface ActionInput {
  description?: unknown;
  default?: unknown;
  required?: unknown;
}
interface ActionMetadata {
  name: unknown;
  description: unknown;
  branding: { icon: unknown; color: unknown };
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: unknown }>;
  runs: { using: unknown; main: unknown };
}

const root = new URL('../../', import.meta.url);
const action = parse(readFileSync(new URL('action.yml', root), 'utf8')) as ActionMetadata;
const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(sorted(Object.keys(action.inputs))).toEqual(sorted(Object.values(Inputs)));
  });

  it('declares exactly the outputs the code writes', () => {
    expect(sorted(Object.keys(action.outputs))).toEqual(sorted(Object.values(Outputs)));
  });

  it('describes every input and output in plain text', () => {
    const described = [...Object.entries(action.inputs), ...Object.entries(action.outputs)];
    for (const [name, { description }] of described) {
      expect(typeof description, name).toBe('string');
      expect((description as string).trim(), name).not.toBe('');
      // The runner accepts an expression only in an input's default; elsewhere it fails to load
      // the action, so a `${{` in a description would break every workflow that uses it.
      expect(description, name).not.toContain('${{');
    }
  });

  it('gives defaults as strings and marks nothing required', () => {
    // The runner does not enforce `required`, and most inputs are needed only in some modes:
    // the code checks them, naming the input.
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.required, name).toBeUndefined();
      if ('default' in input) expect(typeof input.default, name).toBe('string');
    }
  });

  it('defaults status to the job status, the one context an action cannot read itself', () => {
    expect(action.inputs[Inputs.status]?.default).toBe('${{ job.status }}');
  });

  it('gives each input the default the code documents, and no other input a default', () => {
    const expected: Record<string, string> = { [Inputs.status]: '${{ job.status }}' };
    for (const [key, value] of Object.entries(Defaults)) {
      expected[Inputs[key as keyof typeof Defaults]] = String(value);
    }
    const declared: Record<string, unknown> = {};
    for (const [name, input] of Object.entries(action.inputs)) {
      if ('default' in input) declared[name] = input.default;
    }
    expect(declared).toEqual(expected);
  });

  it('runs the committed bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(new URL('dist/index.js', root))).toBe(true);
  });

  it('has the metadata the Marketplace shows', () => {
    expect(action.name).toBe('smtp-notify');
    expect(typeof action.description).toBe('string');
    expect(action.branding).toEqual({ icon: 'mail', color: expect.any(String) as string });
  });

  it('has defaults that mean what the code assumes when an input is absent', async () => {
    // The runner passes a default as if the user had written it; the code has its own defaults
    // for callers that pass nothing (tests, other runners). Both must give the same settings.
    const base = {
      GITHUB_WORKSPACE: process.cwd(),
      INPUT_SERVER: 'smtp.example.com',
      INPUT_FROM: 'ci@example.com',
      INPUT_TO: 'dev@example.com',
    };
    const defaults: Record<string, string> = {};
    for (const [name, input] of Object.entries(action.inputs)) {
      if (typeof input.default === 'string' && name !== Inputs.status) {
        defaults[inputVariable(name)] = input.default;
      }
    }
    const mask = (): void => undefined;
    const withDefaults = await readSettings({ env: { ...base, ...defaults }, mask });
    const withNothing = await readSettings({ env: base, mask });
    expect(withDefaults).toEqual(withNothing);
  });
});
