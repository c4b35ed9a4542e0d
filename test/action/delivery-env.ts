// What the deliverWithRetries tests share: the real smtp-server counting its connections,
// handlers that refuse its first calls, and a request whose clock only moves when the injected
// sleep "waits", so no test waits for a real backoff and every wait is recorded.
import type { SMTPServerOptions } from 'smtp-server';
import { expect } from 'vitest';
import { deliverWithRetries, type DeliveryRequest } from '../../src/action/delivery.js';
import type { SmtpError } from '../../src/smtp/index.js';
import { localServer, useCleanups, type Closable } from '../helpers/send-fixtures.js';
import { refusal, startSmtpServer, type RunningServer } from '../helpers/smtp-server.js';

export const message = Buffer.from(
  'From: ci@example.com\r\nTo: a@example.com\r\nMessage-ID: <run-42@smtp-notify.test>\r\n' +
    'Subject: build\r\n\r\nGreen.\r\n',
);

/** The envelope of a request from ci@example.com to `to`, without SMTPUTF8. */
export function envelopeTo(...to: string[]): Pick<DeliveryRequest, 'envelope'> {
  return { envelope: { from: 'ci@example.com', to, smtpUtf8: false } };
}

/**
 * A handler for onConnect, onMailFrom or onRcptTo (smtp-server passes the callback last) that
 * refuses its first `times` calls with `code` and `text`, then lets every later one through.
 */
export function refuseFirst(
  times: number,
  code: number,
  text: string,
): (...args: unknown[]) => void {
  let seen = 0;
  return (...args) => {
    const callback = args.at(-1) as (error?: Error) => void;
    seen += 1;
    callback(seen <= times ? refusal(code, text) : undefined);
  };
}

export interface Counted {
  running: RunningServer;
  connections: () => number;
}

export interface CountedServers {
  /** Starts the real server, counting connections; it is closed after the test. */
  server: (options?: SMTPServerOptions) => Promise<Counted>;
  /** Closes anything else the test starts after it. */
  defer: <T extends Closable>(resource: T) => T;
}

/**
 * Registers the calling file's cleanups and starts servers that count their connections
 * (onConnect runs once per TCP connection; for implicit TLS, once per completed handshake).
 */
export function useCountedServers(): CountedServers {
  const defer = useCleanups();
  const server = async (options: SMTPServerOptions = {}): Promise<Counted> => {
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
  };
  return { server, defer };
}

/** Delivers the default request and expects the one retry to have got the message through. */
export async function expectSentOnSecondTry({ running, connections }: Counted): Promise<void> {
  const report = await deliverWithRetries(recordedRequest(running.port).request);
  expect(report.result).toBe('sent');
  expect(connections()).toBe(2);
  expect(running.received).toHaveLength(1);
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
      server: localServer(port),
      ...envelopeTo('a@example.com'),
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
