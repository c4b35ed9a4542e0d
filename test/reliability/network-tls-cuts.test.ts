/**
 * Network faults, part 2 of issue 6, where TLS is involved: cuts at STARTTLS and in the middle
 * of its handshake, a sweep of cuts through the encrypted rest of the session (where offsets
 * cannot be named, so every case is held to the rules any cut must keep), cuts in an implicit
 * TLS handshake, and a cut in the middle of a message too large to be written at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SmtpConnectionError, SmtpTlsError, type SmtpError } from '../../src/smtp/index.js';
import type { CutMode, FaultDirection, FaultProxy } from '../helpers/fault-proxy.js';
import {
  expectNoCredentialsSent,
  networkSend,
  proxyFor,
  sendAndCapture,
  startAuthServer,
  type Defer,
  type SendEnd,
  type SessionTls,
} from './network-session.js';
import { recordSession, replyEnds } from './network-session-map.js';
import { largeMessage } from './server-fixtures.js';

const starttls = await recordSession('starttls');
/** Where the client's STARTTLS starts, and where its ClientHello starts. */
const startTlsAt = starttls.client.indexOf('STARTTLS\r\n');
const clientHelloAt = startTlsAt + 'STARTTLS\r\n'.length;
/** Where the server's 220 to STARTTLS starts, and where its ServerHello starts. */
const [, startTlsReplyAt = 0, serverHelloAt = 0] = replyEnds(starttls.server.toString('latin1'));

interface Cut {
  direction: FaultDirection;
  mode: CutMode;
  at: number;
}

/** Sends through a proxy that makes `cut`; returns the end, the proxy and the server's count. */
async function sendWithCut(
  tls: SessionTls,
  cut: Cut,
  defer: Defer,
): Promise<{ end: SendEnd; proxy: FaultProxy; received: number }> {
  const running = await startAuthServer(defer, { secure: tls === 'implicit' });
  const fault = { cut: cut.mode, direction: cut.direction, atByte: cut.at };
  const proxy = await proxyFor(defer, running.port, fault);
  const options = networkSend(proxy.port, tls);
  const end = await sendAndCapture(options, `network cut, ${tls} (${JSON.stringify(cut)})`);
  await proxy.connections[0]?.closed;
  await sleep(20);
  return { end, proxy, received: running.received.length };
}

/** What every cut must keep, whatever it hit. */
function expectCutRules(end: SendEnd, received: number): void {
  expect(received).toBeLessThanOrEqual(1);
  if (end.error === undefined) {
    expect(received).toBe(1);
    return;
  }
  const error: SmtpError = end.error;
  expect([SmtpConnectionError, SmtpTlsError]).toContain(error.constructor);
  expect(error.transient).toBe(true);
  if (received > 0) expect(error.outcome).not.toBe('not-delivered');
  if (error.outcome === 'unknown') expect(error.phase).toBe('message');
}

/**
 * A handshake after the server's 220 to STARTTLS that the network broke: the server greeted in
 * clear text and agreed to STARTTLS, so the port and the mode agree, and no hint may say not.
 */
function expectNetworkHandshakeFailure(error: SmtpError | undefined): void {
  expect(error).toBeInstanceOf(SmtpTlsError);
  expect(error?.phase).toBe('starttls');
  expect(error?.transient).toBe(true);
  expect(error?.message).not.toMatch(/port and the TLS mode|TLS from the first byte/);
}

describe.concurrent('STARTTLS and its handshake cut', () => {
  const modes: CutMode[] = ['destroy', 'half-close', 'reset'];

  it.for(modes)('%s while STARTTLS goes out: nothing sent, phase starttls', async (mode, t) => {
    const cut = { direction: 'to-server', mode, at: startTlsAt } as const;
    const { end, received } = await sendWithCut('starttls', cut, t.onTestFinished);
    expect(end.error).toBeInstanceOf(SmtpConnectionError);
    expect(end.error).toMatchObject({ phase: 'starttls', outcome: 'not-delivered' });
    expect(received).toBe(0);
  });

  it.for(modes)('%s in the ClientHello: a TLS error that blames the network', async (mode, t) => {
    for (const at of [clientHelloAt, clientHelloAt + 40]) {
      const cut = { direction: 'to-server', mode, at } as const;
      const { end } = await sendWithCut('starttls', cut, t.onTestFinished);
      expectNetworkHandshakeFailure(end.error);
    }
  });

  it.for(modes)('%s in the ServerHello: a TLS error that blames the network', async (mode, t) => {
    for (const at of [serverHelloAt, serverHelloAt + 60]) {
      const cut = { direction: 'to-client', mode, at } as const;
      const { end } = await sendWithCut('starttls', cut, t.onTestFinished);
      expectNetworkHandshakeFailure(end.error);
    }
  });

  it.for(modes)('%s before the 220 to STARTTLS arrives: phase starttls', async (mode, t) => {
    const cut = { direction: 'to-client', mode, at: startTlsReplyAt } as const;
    const { end } = await sendWithCut('starttls', cut, t.onTestFinished);
    expect(end.error).toBeInstanceOf(SmtpConnectionError);
    expect(end.error?.phase).toBe('starttls');
  });
});

/** 12 cuts spread over the encrypted part of each direction, the modes taking turns. */
function encryptedSweep(): Cut[] {
  const modes: CutMode[] = ['destroy', 'half-close', 'reset'];
  const spread = (direction: FaultDirection, from: number, to: number): Cut[] =>
    Array.from({ length: 12 }, (_, index) => ({
      direction,
      mode: modes[index % modes.length] as CutMode,
      at: from + Math.floor(((to - from) * index) / 12),
    }));
  return [
    ...spread('to-server', clientHelloAt, starttls.client.length),
    ...spread('to-client', serverHelloAt, starttls.server.length),
  ];
}

describe.concurrent('a STARTTLS session cut anywhere after the upgrade', () => {
  it.for(encryptedSweep())('$direction byte $at, $mode', async (cut, t) => {
    const { end, proxy, received } = await sendWithCut('starttls', cut, t.onTestFinished);
    expect(proxy.connections[0]?.fired).toBe(true);
    expectCutRules(end, received);
    if (end.error instanceof SmtpTlsError) expectNetworkHandshakeFailure(end.error);
    // The credentials went only inside TLS, wherever the link broke.
    expectNoCredentialsSent(proxy);
  });
});

describe.concurrent('an implicit TLS handshake cut', () => {
  const cuts: Cut[] = [
    { direction: 'to-server', mode: 'destroy', at: 0 },
    { direction: 'to-server', mode: 'reset', at: 60 },
    { direction: 'to-client', mode: 'destroy', at: 0 },
    { direction: 'to-client', mode: 'half-close', at: 90 },
    { direction: 'to-client', mode: 'reset', at: 200 },
  ];

  it.for(cuts)(
    '$direction byte $at, $mode: a transient TLS error while connecting',
    async (cut, t) => {
      const { end, proxy, received } = await sendWithCut('implicit', cut, t.onTestFinished);
      expect(end.error).toBeInstanceOf(SmtpTlsError);
      expect(end.error).toMatchObject({
        phase: 'connect',
        transient: true,
        outcome: 'not-delivered',
      });
      expect(received).toBe(0);
      // A server that sent TLS records speaks TLS on this port (one speaking clear text fails the
      // handshake as "wrong version number", not with a closed connection): the port and the
      // mode agree, and no hint may say otherwise. Before any byte, either is possible.
      if ((proxy.connections[0]?.forwarded['to-client'] ?? 0) > 0) {
        expect(end.error?.message).not.toMatch(/port and the TLS mode|TLS from the first byte/);
      }
    },
  );
});

/** 16 MiB: far more than the socket buffers take, so the write must wait. */
const sixteenMiB = largeMessage(16);

describe.concurrent('a large message cut while its content is still being written', () => {
  it.for(['destroy', 'reset'] as const)(
    '%s: known not delivered, since the dot never went out',
    async (mode, t) => {
      const running = await startAuthServer(t.onTestFinished);
      const fault = { cut: mode, direction: 'to-server', atByte: 1024 * 1024 } as const;
      const proxy = await proxyFor(t.onTestFinished, running.port, fault);
      const options = networkSend(proxy.port, 'none', {
        message: sixteenMiB,
      });
      const end = await sendAndCapture(options, `large message cut (${mode})`);
      expect(end.error).toBeInstanceOf(SmtpConnectionError);
      expect(end.error).toMatchObject({
        phase: 'message',
        outcome: 'not-delivered',
        transient: true,
      });
      expect(running.received).toHaveLength(0);
    },
  );
});
