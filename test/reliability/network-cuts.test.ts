/**
 * Network faults, part 2 of issue 6: the link between the client and the real smtp-server is
 * cut at a sweep of byte offsets in each direction, covering every step of an authenticated,
 * pipelined plaintext session (greeting, EHLO, AUTH, envelope, content, the dot, QUIT), each way
 * a link can die: both ends closed, one direction closed (FIN), and reset (RST).
 *
 * For each: the typed error names the step; the outcome is `not-delivered` while the final dot
 * cannot have been answered and `unknown` once it may have been; the server got at most one
 * message, and never one the client reports as not delivered; a cut after the 250 to the dot
 * counts as sent. Nothing waits for a timeout: every case ends on the cut itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  SmtpConnectionError,
  sendMail,
  type DeliveryOutcome,
  type SmtpPhase,
} from '../../src/smtp/index.js';
import type { CutMode, FaultDirection } from '../helpers/fault-proxy.js';
import { TEST_PASSWORD } from '../helpers/hygiene.js';
import { assertNoSecrets } from '../helpers/secrets.js';
import { networkSend, proxyFor, sendAndCapture, startAuthServer } from './network-session.js';
import {
  clientStepNames,
  mapPlainSession,
  serverReplyNames,
  type ClientStep,
  type ServerReply,
  type SessionMap,
} from './network-session-map.js';

const map: SessionMap = await mapPlainSession();

type Expected =
  | { sent: true }
  | { sent: false; phases: SmtpPhase[]; outcome: DeliveryOutcome; received: number[] };

const failed = (
  phases: SmtpPhase[],
  outcome: DeliveryOutcome = 'not-delivered',
  received = [0],
): Expected => ({ sent: false, phases, outcome, received });

/**
 * The server's bytes stop at `at`: the client is waiting for the reply that byte belongs to.
 * Once the 354 went through, the dot went out and the server stored the message before its
 * 250; once that 250 went through, only QUIT's reply is lost.
 */
function expectWhenServerCut(at: number): Expected {
  const awaited: [ServerReply, SmtpPhase][] = [
    ['greeting', 'greeting'],
    ['ehlo', 'ehlo'],
    ['auth', 'auth'],
    ['mail', 'mail'],
    ['rcpt', 'rcpt'],
    ['data', 'data'],
  ];
  const reply = awaited.find(([name]) => at < map.server[name]);
  if (reply !== undefined) return failed([reply[1]]);
  return at < map.server.dot ? failed(['message'], 'unknown', [1]) : { sent: true };
}

/** The client's steps before the message ends, each with the phase that reads its reply. */
const clientSteps: [ClientStep, SmtpPhase][] = [
  ['ehlo', 'ehlo'],
  ['auth', 'auth'],
  ['mail', 'mail'],
  ['rcpt', 'rcpt'],
  ['data', 'data'],
  ['content', 'message'],
];

/** The steps from the one the flight holding byte `at` starts in, up to the one `at` is in. */
function phasesOfFlightUpTo(at: number): SmtpPhase[] {
  const flightStart = map.clientFlights.filter((start) => start <= at).at(-1) ?? 0;
  const started = clientSteps.filter(([step]) => map.client[step] <= at);
  return started
    .filter((_, index) => {
      const next = started[index + 1];
      return next === undefined || map.client[next[0]] > flightStart;
    })
    .map(([, phase]) => phase);
}

/**
 * The client's bytes stop at `at`. A closed or reset link ends every direction at once: the
 * client fails reading the first reply its flight asked for. A half-closed one still carries
 * the server's replies to the commands that got through: it fails reading the cut command's.
 * The small message and its dot are written before the client can learn of a cut in the
 * content, so from there the outcome is unknown; after a whole dot it may even be stored.
 */
function expectWhenClientCut(at: number, mode: CutMode): Expected {
  if (at < map.client.content) {
    const phases = phasesOfFlightUpTo(at);
    return failed(mode === 'half-close' ? phases.slice(-1) : phases.slice(0, 1));
  }
  if (at < map.client.quit) return failed(['message'], 'unknown');
  return mode === 'half-close' ? { sent: true } : failed(['message'], 'unknown', [0, 1]);
}

/** Each boundary and the middle of the span after it. */
function sweep(bounds: readonly number[]): number[] {
  const offsets = bounds.slice(0, -1).flatMap((start, index) => {
    const end = bounds[index + 1] ?? start;
    return [start, Math.floor((start + end) / 2)];
  });
  return [...new Set(offsets)];
}

interface CutCase {
  name: string;
  direction: FaultDirection;
  mode: CutMode;
  at: number;
  expected: Expected;
}

function cutCases(): CutCase[] {
  const toClient = sweep([0, ...serverReplyNames.map((name) => map.server[name])]);
  const toServer = sweep([...clientStepNames.map((name) => map.client[name]), map.clientBytes]);
  const modes: CutMode[] = ['destroy', 'half-close', 'reset'];
  return modes.flatMap((mode) => [
    ...toClient.map((at) => ({
      name: `server's byte ${at}, ${mode}`,
      direction: 'to-client' as const,
      mode,
      at,
      expected: expectWhenServerCut(at),
    })),
    ...toServer.map((at) => ({
      name: `client's byte ${at}, ${mode}`,
      direction: 'to-server' as const,
      mode,
      at,
      expected: expectWhenClientCut(at, mode),
    })),
  ]);
}

describe.concurrent('a plaintext session cut at every step', () => {
  it.for(cutCases())('$name', async ({ direction, mode, at, expected }, { onTestFinished }) => {
    const running = await startAuthServer(onTestFinished);
    const proxy = await proxyFor(onTestFinished, running.port, {
      cut: mode,
      direction,
      atByte: at,
    });
    const options = networkSend(proxy.port, 'none');
    const end = await sendAndCapture(options, `network cut (${direction} ${mode} ${at})`);
    const link = proxy.connections[0];
    expect(link?.fired).toBe(true);
    // Let the server finish whatever it received before the cut, then count.
    await link?.closed;
    await sleep(20);
    expect(proxy.connections).toHaveLength(1);
    if (expected.sent) {
      expect(end.error).toBeUndefined();
      expect(running.received).toHaveLength(1);
      expect(end.error === undefined && end.result.warnings.join('\n')).toMatch(
        /^QUIT did not complete cleanly/,
      );
      return;
    }
    const error = end.error;
    expect(error).toBeInstanceOf(SmtpConnectionError);
    expect(expected.phases).toContain(error?.phase);
    expect(error?.transient).toBe(true);
    expect(error?.outcome).toBe(expected.outcome);
    expect(expected.received).toContain(running.received.length);
    // Whatever else: a message the server has is never reported as not delivered.
    if (running.received.length > 0) expect(error?.outcome).not.toBe('not-delivered');
  });
});

/**
 * AUTH LOGIN sends the password as a line of its own, in answer to the server's password prompt
 * (LOGIN takes no initial response): a cut while that line is on the wire, or before its reply,
 * must not quote it back.
 */
describe.concurrent('an AUTH LOGIN exchange cut around the password line', () => {
  const password64 = Buffer.from(TEST_PASSWORD).toString('base64');
  const cuts: { name: string; direction: FaultDirection; at: (c: string, s: string) => number }[] =
    [
      {
        name: 'in the middle of the password line',
        direction: 'to-server',
        at: (c) => c.indexOf(password64) + 6,
      },
      {
        name: "before the password line's reply",
        direction: 'to-client',
        at: (_c, s) => s.indexOf('235'),
      },
    ];

  it.for(cuts)('$name', async (cut, { onTestFinished }) => {
    const login = { authMethods: ['LOGIN'] };
    const clean = await proxyFor(
      onTestFinished,
      (await startAuthServer(onTestFinished, login)).port,
    );
    await sendMail(networkSend(clean.port, 'none'));
    const recorded = clean.connections[0];
    await recorded?.closed;
    const at = cut.at(
      recorded?.fromClient.toString('latin1') ?? '',
      recorded?.fromServer.toString('latin1') ?? '',
    );
    expect(at).toBeGreaterThan(0);
    const running = await startAuthServer(onTestFinished, login);
    const fault = { cut: 'reset', direction: cut.direction, atByte: at } as const;
    const proxy = await proxyFor(onTestFinished, running.port, fault);
    const end = await sendAndCapture(
      networkSend(proxy.port, 'none'),
      `AUTH LOGIN cut (${cut.name})`,
    );
    expect(end.error).toBeInstanceOf(SmtpConnectionError);
    expect(end.error).toMatchObject({ phase: 'auth', command: 'AUTH LOGIN (response)' });
    assertNoSecrets(String(end.error), [TEST_PASSWORD]);
    expect(running.mailCommands).toBe(0);
  });
});
