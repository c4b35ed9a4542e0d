import type { Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { raceAbort } from './deadline.js';
import {
  buildTlsOptions,
  describeTlsError,
  type TlsErrorContext,
  type TlsInfo,
  type TlsSettings,
} from './tls.js';

/**
 * Starts TLS over a connected socket (implicit TLS right after connect, or after STARTTLS) and
 * resolves once the handshake and the certificate checks succeed. On failure both sockets are
 * destroyed and the error is an SmtpTlsError that says what to do; when `signal` aborts first,
 * the promise rejects with its reason.
 */
export function handshakeTls(
  socket: Socket,
  settings: TlsSettings,
  context: TlsErrorContext,
  signal: AbortSignal,
): Promise<TLSSocket> {
  const tlsSocket = connectTls({ ...buildTlsOptions(context.host, settings), socket });
  // What the server sends from here on is its side of the handshake (a proxy's reply came before).
  const bytesBefore = socket.bytesRead;
  // The TLS socket reports failures of the TCP socket under it; this keeps a second report on
  // the TCP socket itself from becoming an uncaught exception.
  socket.on('error', () => undefined);
  return raceAbort<TLSSocket>(
    signal,
    (resolve, reject) => {
      tlsSocket.once('secureConnect', () => resolve(tlsSocket));
      tlsSocket.once('error', (error) => {
        const handshakeBytes = socket.bytesRead - bytesBefore;
        const servername = settings.servername;
        reject(describeTlsError(error, { ...context, servername, handshakeBytes }));
      });
    },
    (succeeded) => {
      tlsSocket.removeAllListeners('secureConnect');
      tlsSocket.removeAllListeners('error');
      if (succeeded) return;
      tlsSocket.on('error', () => undefined);
      tlsSocket.destroy();
      socket.destroy();
    },
  );
}

/** The negotiated protocol and cipher of an established TLS socket. */
export function readTlsInfo(socket: TLSSocket): TlsInfo {
  return { protocol: socket.getProtocol() ?? 'unknown', cipher: socket.getCipher().name };
}
