/**
 * What a person sees: the default run report rendered by a real browser engine (Debian's
 * Chromium, headless). Pixel checks stand in for a reviewer's eye: the status colour is there
 * and no other status's colour is, the 600-pixel column does not overflow a 700-pixel window,
 * and a hostile pull request title is text on the page, never markup.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../src/template/index.js';
import { fixtureContext, type FixtureEvent } from '../template/template-fixtures.js';
import {
  assertChromium,
  countPixels,
  distinctColours,
  hexToRgb,
  renderedDom,
  screenshot,
} from './chromium.js';

const colours = { success: '#1a7f37', failure: '#cf222e' } as const;
let dir: string;

beforeAll(() => {
  assertChromium();
  dir = mkdtempSync(join(tmpdir(), 'smtp-notify-shot-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function reportFile(event: FixtureEvent, status: string): Promise<string> {
  const { html } = await renderRunReport(fixtureContext(event, status));
  const path = join(dir, `${event}-${status}.html`);
  writeFileSync(path, html);
  return path;
}

describe('the default run report in Chromium', () => {
  for (const [status, shown] of Object.entries(colours)) {
    const other = status === 'success' ? colours.failure : colours.success;
    it(`shows the ${status} colour (bar, badge, button) and not the other one`, async () => {
      const image = await screenshot(await reportFile('push', status), 700, dir);
      // The top bar alone is ~600 x 6 pixels; badge and button add more.
      expect(countPixels(image, hexToRgb(shown))).toBeGreaterThan(5_000);
      expect(countPixels(image, hexToRgb(other))).toBe(0);
    });
  }

  it('keeps the content inside a 700-pixel window (nothing drawn in the right margin)', async () => {
    const image = await screenshot(await reportFile('pull_request', 'failure'), 700, dir);
    expect(image.width).toBe(700);
    expect(distinctColours(image, 680, 700)).toBe(1);
    expect(distinctColours(image, 60, 640)).toBeGreaterThan(20);
  });

  it('renders the hostile pull request title as text, with no element made from it', async () => {
    const dom = await renderedDom(await reportFile('pull_request', 'failure'));
    expect(dom).not.toMatch(/<script/i);
    expect(dom).not.toMatch(/<img/i);
    expect(dom).toContain('&lt;script');
  });
});
