// The folder an absolute `attachments` pattern starts from bounds where its files may really
// lie; it must be the folder @actions/glob starts searching from, never a deeper one.
import { describe, expect, it } from 'vitest';
import { anchorPattern, literalBaseOf } from '../../src/action/attachment-patterns.js';

describe('literalBaseOf', () => {
  it.each([
    ['/srv/reports/*.pdf', '/srv/reports'],
    ['/srv/reports/**', '/srv/reports'],
    ['/srv/reports/summary.txt', '/srv/reports/summary.txt'],
    ['/srv/reports/', '/srv/reports'],
    ['/srv/run-[0-9]/out.txt', '/srv'],
    // `[x]` is the character x to @actions/glob, and `\` escapes one character.
    ['/srv/[r]eports/a?.txt', '/srv/reports'],
    ['/srv/a\\*b/c', '/srv/a*b/c'],
    ['/srv/[\\]]/x', '/srv/]/x'],
    ['/srv/[]/x', '/srv/[]/x'],
    ['/srv/b[/c', '/srv/b[/c'],
    ['/*.log', '/'],
    ['~/reports/*.txt', '/home/runner/reports'],
    ['~', '/home/runner'],
  ])('%s starts from %s', (pattern, base) => {
    expect(literalBaseOf(pattern, '/home/runner')).toBe(base);
  });

  it('has none for relative and negated patterns, which the workspace bounds', () => {
    expect(literalBaseOf('reports/*.txt', '/home/runner')).toBeUndefined();
    expect(literalBaseOf('!/srv/reports/*.tmp', '/home/runner')).toBeUndefined();
  });
});

describe('anchorPattern', () => {
  it('anchors relative patterns at the workspace, escaped, and keeps absolute ones', () => {
    expect(anchorPattern('./out/*.txt', '/w[1]/')).toBe('/w[[]1]/out/*.txt');
    expect(anchorPattern('!*.tmp', '/w')).toBe('!/w/*.tmp');
    expect(anchorPattern('.', '/w')).toBe('/w');
    expect(anchorPattern('/srv/*.txt', '/w')).toBe('/srv/*.txt');
    expect(anchorPattern('~/x', '/w')).toBe('~/x');
  });
});
