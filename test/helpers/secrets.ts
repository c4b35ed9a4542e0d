/**
 * Test oracle: fails when `text` carries a secret, as it is or in base64. A secret inside a
 * PLAIN, LOGIN or XOAUTH2 blob lands at any of 3 byte alignments, so the secret is encoded at
 * each of them and only the characters that depend on the secret alone are looked for.
 * Written separately from src/smtp/auth/secret-forms.ts so that a bug there cannot hide here.
 */

const MIN_SECRET_LENGTH = 6;

/** Base64 of `secret` placed `offset` bytes into a blob, without the characters at its edges. */
function alignedBase64(secret: string, offset: number): string {
  const bytes = Buffer.from(secret, 'utf8');
  const padded = Buffer.concat([Buffer.from('x'.repeat(offset)), bytes]);
  const encoded = padded.toString('base64').replace(/=+$/, '');
  // Characters before bit offset*8 mix in the prefix; one after the last whole 6-bit group
  // mixes in whatever follows.
  const start = Math.ceil((offset * 8) / 6);
  const end = Math.floor(((offset + bytes.length) * 8) / 6);
  return encoded.slice(start, end);
}

export function secretVariants(secret: string): { form: string; value: string }[] {
  return [
    { form: 'as is', value: secret },
    ...[0, 1, 2].map((offset) => ({
      form: `base64 at offset ${offset}`,
      value: alignedBase64(secret, offset),
    })),
  ];
}

/** Throws (without quoting the secret) if any secret or its base64 forms occur in `text`. */
export function assertNoSecrets(text: string, secrets: string[]): void {
  secrets.forEach((secret, index) => {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`secret #${index} is too short to check reliably; use a longer test secret`);
    }
    for (const { form, value } of secretVariants(secret)) {
      if (text.includes(value)) {
        throw new Error(`text contains secret #${index} (${form}) at ${text.indexOf(value)}`);
      }
    }
  });
}
