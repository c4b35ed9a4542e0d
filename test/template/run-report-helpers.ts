/**
 * Reading the rendered report the way a reader meets it: which text a link with a given target
 * shows, how often a tag occurs. String scanning, no regular expressions over HTML.
 */

/** HTML-escapes as an attribute or text value must be, to look for an escaped value. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The visible text of every `<a href="url" …>…</a>`, tags inside the link removed. */
export function linkTexts(html: string, url: string): string[] {
  const opening = `<a href="${escapeHtml(url)}"`;
  const texts: string[] = [];
  for (let start = html.indexOf(opening); start !== -1; start = html.indexOf(opening, start + 1)) {
    const contentStart = html.indexOf('>', start) + 1;
    const end = html.indexOf('</a>', contentStart);
    texts.push(stripTags(html.slice(contentStart, end)));
  }
  return texts;
}

/** Occurrences of `needle`, case-insensitive: `count(html, '<script')`. */
export function count(haystack: string, needle: string): number {
  return haystack.toLowerCase().split(needle.toLowerCase()).length - 1;
}

function stripTags(fragment: string): string {
  let text = '';
  let inTag = false;
  for (const char of fragment) {
    if (char === '<') inTag = true;
    else if (char === '>') inTag = false;
    else if (!inTag) text += char;
  }
  return text;
}

/** The lines of the text part, for checks that a value stays on its labelled line. */
export function lineStartingWith(text: string, prefix: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(prefix));
}
