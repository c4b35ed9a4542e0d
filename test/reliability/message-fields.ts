/**
 * Reads a composed message the way a strict receiver would, without mailparser's leniency: the
 * header block of every MIME entity, unfolded (RFC 5322 2.2.3), so the fuzz and injection tests
 * can say exactly which fields a message has and that each is clean.
 */

export interface HeaderField {
  /** The field name as written. */
  name: string;
  /** The value after the colon, unfolded (CRLF before white space removed), untrimmed. */
  value: string;
}

export interface Entity {
  fields: HeaderField[];
  /** Problems with the header block's shape; empty when it is clean. */
  problems: string[];
  /** The entity's body, up to (not including) the CRLF before the next boundary. */
  body: string;
}

/**
 * The top-level fields of a message composed from a From, a To, a subject and a body, besides
 * its Content-* fields: what the injection tests expect when nothing broke out.
 */
export const COMPOSED_FIELDS: readonly string[] = [
  'from',
  'to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'auto-submitted',
];

// RFC 5322 2.2: printable US-ASCII but colon.
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
// Tab is the only control a header value may hold once unfolded.
// eslint-disable-next-line no-control-regex -- looking for controls is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Splits `text` (the entity, header first) at its blank line and reads the fields. */
function readEntity(text: string): Entity {
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? '' : text.slice(end + 4);
  const fields: HeaderField[] = [];
  const problems: string[] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line)) {
      const last = fields.at(-1);
      if (last === undefined)
        problems.push(`continuation before any field: ${JSON.stringify(line)}`);
      else last.value += line;
      // RFC 5322 3.2.2: a folded line must hold something besides white space.
      if (line.trim() === '') problems.push(`white-space-only continuation after ${last?.name}`);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    if (colon === -1 || !FIELD_NAME.test(name)) {
      problems.push(`not a field: ${JSON.stringify(line.slice(0, 60))}`);
      continue;
    }
    fields.push({ name, value: line.slice(colon + 1) });
  }
  for (const field of fields) {
    if (CONTROL.test(field.value)) problems.push(`control character in ${field.name}`);
  }
  return { fields, problems, body };
}

/** The value of the first field named `name` (any case), trimmed, or undefined. */
function fieldValue(entity: Entity, name: string): string | undefined {
  const key = name.toLowerCase();
  return entity.fields.find((field) => field.name.toLowerCase() === key)?.value.trim();
}

function boundaryOf(entity: Entity): string | undefined {
  const type = fieldValue(entity, 'content-type') ?? '';
  if (!/^multipart\//i.test(type)) return undefined;
  return /boundary="?([^";]+)"?/i.exec(type)?.[1];
}

/**
 * Every entity of the message, depth first, the top level first. A multipart body is split at
 * lines that are exactly `--boundary` (RFC 2046 5.1.1); the preamble and epilogue are dropped.
 */
export function readEntities(bytes: Uint8Array): Entity[] {
  const top = readEntity(Buffer.from(bytes).toString('utf8'));
  const all: Entity[] = [top];
  const boundary = boundaryOf(top);
  if (boundary === undefined) return all;
  const delimiter = `\r\n--${boundary}`;
  const parts = `\r\n${top.body}`.split(delimiter).slice(1);
  for (const part of parts) {
    if (part.startsWith('--')) break;
    const inner = part.replace(/^[ \t]*\r\n/, '');
    all.push(...readEntities(Buffer.from(inner, 'utf8')));
  }
  return all;
}

/** The trimmed, unfolded value of the top-level field `name` (any case), or undefined. */
export function topFieldValue(bytes: Uint8Array, name: string): string | undefined {
  const top = readEntities(bytes)[0];
  return top === undefined ? undefined : fieldValue(top, name);
}

/** Every header problem of every entity, each prefixed with the entity's index. */
export function headerProblems(bytes: Uint8Array): string[] {
  return readEntities(bytes).flatMap((entity, i) => entity.problems.map((p) => `#${i}: ${p}`));
}

const ENCODED_WORD = /^=\?UTF-8\?([BQ])\?([^?]*)\?=$/i;

/**
 * An unstructured value with its RFC 2047 encoded-words decoded: white space between two
 * encoded-words is dropped (RFC 2047 6.2), every other character is kept as it is. Decoding
 * joins the words' bytes first, so a character split across two words comes back whole.
 */
export function decodeUnstructured(value: string): string {
  const tokens = value.trim().split(/([ \t]+)/);
  let out = '';
  let pending: Buffer[] = [];
  const flush = (): void => {
    out += Buffer.concat(pending).toString('utf8');
    pending = [];
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    if (ENCODED_WORD.test(token)) {
      pending.push(Buffer.from(rawWord(token)));
      continue;
    }
    const nextIsWord = ENCODED_WORD.test(tokens[i + 1] ?? '');
    if (/^[ \t]+$/.test(token) && pending.length > 0 && nextIsWord) continue;
    flush();
    out += token;
  }
  flush();
  return out;
}

/** The octets an encoded-word carries. */
function rawWord(word: string): Uint8Array {
  const [, encoding = '', text = ''] = ENCODED_WORD.exec(word) ?? [];
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  return Buffer.from(
    text
      .replace(/_/g, ' ')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}
