import { readFileSync } from 'node:fs';
import type { TlsOptions } from 'node:tls';

const fixtures = new URL('../fixtures/tls/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

/**
 * The committed test CA and the server certificate it signed, for localhost,
 * mail.smtp-notify.test and 127.0.0.1 (regenerate with test/fixtures/tls/generate.sh).
 */
export const testTls = {
  ca: read('ca.pem'),
  cert: read('server.pem'),
  key: read('server-key.pem'),
};

/** The test CA's certificate (PEM): what a client must trust to accept `serverTlsOptions`. */
export const testCa = testTls.ca;

/** Certificate and key for a test server, signed by `testCa`. */
export const serverTlsOptions: TlsOptions = { cert: testTls.cert, key: testTls.key };
