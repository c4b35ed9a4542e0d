import { encodeBase64 } from './base64.js';
import type { Credentials } from './mechanism.js';

/**
 * A base64 fragment shorter than this is too likely to occur by chance to be worth redacting;
 * the whole-blob forms still cover short passwords exactly.
 */
const MIN_FRAGMENT_LENGTH = 6;

/**
 * The base64 characters that depend only on `secret` when it sits `offset` bytes (0 to 2) into
 * a longer blob: a character covers 6 bits, so those straddling the secret's edges are dropped.
 */
function base64Fragment(secret: Buffer, offset: number): string {
  const encoded = encodeBase64(Buffer.concat([Buffer.alloc(offset), secret]));
  const startBit = offset * 8;
  const endBit = (offset + secret.length) * 8;
  const first = Math.ceil(startBit / 6);
  const last = Math.floor(endBit / 6);
  return encoded.slice(first, last);
}

/**
 * Every form in which the password (or XOAUTH2 token) goes on the wire, for the connection
 * layer to redact from its transcript and from any server text it quotes: servers echo what
 * they got, so a reply can carry our AUTH line. Longest first, so that redacting in order
 * replaces a whole blob before a fragment of it.
 */
export function secretFormsOf(credentials: Credentials): string[] {
  const { username, password } = credentials;
  if (password === '') return [];
  const bytes = Buffer.from(password, 'utf8');
  const forms = [
    password,
    encodeBase64(bytes), // LOGIN
    encodeBase64(Buffer.from(`\0${username}\0${password}`, 'utf8')), // PLAIN, RFC 4616
    encodeBase64(Buffer.from(`user=${username}\x01auth=Bearer ${password}\x01\x01`, 'utf8')),
    // The password inside any other blob, whatever its byte alignment.
    ...[0, 1, 2].map((offset) => base64Fragment(bytes, offset)),
  ];
  const useful = forms.filter((form) => form === password || form.length >= MIN_FRAGMENT_LENGTH);
  return [...new Set(useful)].sort((a, b) => b.length - a.length);
}
