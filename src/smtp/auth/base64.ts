/**
 * Base64 as SMTP AUTH uses it (RFC 4954 4 refers to RFC 4648 4): the standard alphabet, padded,
 * no line breaks. Decoding is strict because a lenient decoder would turn a garbled or hostile
 * challenge into bytes the mechanism then acts on.
 */

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * Decodes canonical base64 only: any character outside the alphabet, missing or extra padding,
 * or non-zero padding bits yields `undefined`. Canonical means re-encoding gives the same text,
 * which is exactly the test used here.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}
