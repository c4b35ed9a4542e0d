// What the deliverWithRetries tests share: the real smtp-server counting its connections, and a
// request whose clock only moves when the injected sleep "waits", so no test waits for a real
// backoff and every wait is recorded.
import type { SMTPServerOptions } from 'smtp-server';
import type { DeliveryRequest } from '../../src/action/delivery.js';
import type { SmtpError } from '../../src/smtp/index.js';
import type { Closable } from '../helpers/send-fixtures.js';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';

export const message = Buffer.from(
  'From: ci@example.com\r\nTo: a@example.com\r\nMessage-ID: <run-42@smtp-notify.test>\r\n' +
    'Subject: build\r\n\r\nGreen.\r\n',
);

/** An error smtp-server turns into a reply with this code. */
export function refusal(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

export interface Counted {
  running: RunningServer;
  connections: () => number;
}

/**
 * The real server, counting connections (onConnect runs once per TCP connection; for implicit
 * TLS, once per completed handshake). `defer` is the calling file's `useCleanups()`.
 */
export async function startCountedServer(
  defer: <T extends Closable>(resource: T) => T,
  options: SMTPServerOptions = {},
): Promise<Counted> {
  let connections = 0;
  const running = defer(
    await startSmtpServer({
      ...options,
      onConnect(session, callback) {
        connections += 1;
        if (options.onConnect) options.onConnect(session, callback);
        else callback();
      },
    }),
  );
  return { running, connections: () => connections };
}

export interface Recorded {
  request: DeliveryRequest;
  sleeps: number[];
  retries: { attempt: number; delayMs: number; error: SmtpError }[];
}

/** A plaintext request to 127.0.0.1:`port` with a fake clock; `extra` wins. */
export function recordedRequest(port: number, extra: Partial<DeliveryRequest> = {}): Recorded {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const retries: Recorded['retries'] = [];
  return {
    sleeps,
    retries,
    request: {
      server: { host: '127.0.0.1', port, tls: 'none', ehloName: 'runner.example.com' },
      envelope: { from: 'ci@example.com', to: ['a@example.com'], smtpUtf8: false },
      message,
      retries: 2,
      deadlineMs: 300_000,
      random: () => 0.5,
      now: () => clock,
      sleep: (ms) => {
        sleeps.push(ms);
        clock += ms;
        return Promise.resolve();
      },
      onRetry: (error, attempt, delayMs) => retries.push({ attempt, delayMs, error }),
      ...extra,
    },
  };
}
