import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';

const run = promisify(execFile);

/** Debian's Chromium (`apt-get install chromium`), which `.ci/run` installs. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function assertChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.`,
    );
  }
}

// Root in a container has no user namespace for the sandbox; the page is our own local file.
const headless = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'];

/** Renders an HTML file as a person would see it at `width` pixels and decodes the PNG. */
export async function screenshot(htmlPath: string, width: number, dir: string): Promise<PNG> {
  const png = join(dir, `shot-${width}.png`);
  const url = pathToFileURL(htmlPath).href;
  await run(
    chromiumPath,
    [...headless, `--window-size=${width},1600`, `--screenshot=${png}`, url],
    {
      timeout: 60_000,
    },
  );
  return PNG.sync.read(readFileSync(png));
}

/** The DOM after Chromium parsed the page: what a mail reader's HTML engine builds. */
export async function renderedDom(htmlPath: string): Promise<string> {
  const { stdout } = await run(
    chromiumPath,
    [...headless, '--dump-dom', pathToFileURL(htmlPath).href],
    {
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

export type Rgb = readonly [number, number, number];

export function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** How many pixels are within `tolerance` of `colour` on every channel. */
export function countPixels(image: PNG, colour: Rgb): number {
  const tolerance = 6;
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const close = colour.every((c, k) => Math.abs((image.data[i + k] ?? 0) - c) <= tolerance);
    if (close) count += 1;
  }
  return count;
}

/** Distinct colours in a column range: one colour means nothing is drawn there. */
export function distinctColours(image: PNG, fromX: number, toX: number): number {
  const seen = new Set<number>();
  for (let y = 0; y < image.height; y += 1) {
    for (let x = fromX; x < toX; x += 1) {
      const i = (y * image.width + x) * 4;
      seen.add(
        ((image.data[i] ?? 0) << 16) | ((image.data[i + 1] ?? 0) << 8) | (image.data[i + 2] ?? 0),
      );
    }
  }
  return seen.size;
}
