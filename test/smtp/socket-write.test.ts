// writeWithBackpressure hands a large write to the socket in blocks, each with its own timeout:
// a peer that stops reading fails the write after `timeoutMs`; a socket destroyed while a
// write waits rejects at once; neither ever hangs.
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeWithBackpressure } from '../../src/smtp/socket-write.js';

/** A loopback pair whose server side does not read until told to. */
async function pausedPair(): Promise<{ client: Socket; peer: Socket }> {
  const server: Server = createServer({ pauseOnConnect: true });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const accepted = once(server, 'connection');
  const client = connect(port, '127.0.0.1');
  await once(client, 'connect');
  const [peer] = (await accepted) as [Socket];
  onTestFinished(() => {
    client.destroy();
    peer.destroy();
    server.close();
  });
  return { client, peer };
}

const errors = {
  onTimeout: () => new Error('timed out'),
  onClose: () => new Error('closed'),
};

// Far more than loopback socket buffers hold, so the write must wait for the peer.
const big = new Uint8Array(64 * 1024 * 1024);

describe('writeWithBackpressure', () => {
  it('fails after the timeout when the peer stops reading', async () => {
    const { client } = await pausedPair();
    await expect(writeWithBackpressure(client, big, 200, errors)).rejects.toThrow('timed out');
  });

  it('rejects at once, not at the timeout, when the socket is destroyed mid-write', async () => {
    const { client } = await pausedPair();
    const write = writeWithBackpressure(client, big, 60_000, errors);
    setTimeout(() => client.destroy(), 100);
    await expect(write).rejects.toThrow('closed');
  }, 5_000);

  it('completes a large write to a peer that reads slowly but steadily', async () => {
    const { client, peer } = await pausedPair();
    const size = 8 * 1024 * 1024;
    let received = 0;
    peer.on('data', (chunk: Buffer) => {
      received += chunk.length;
      peer.pause();
      setTimeout(() => peer.resume(), 5);
    });
    peer.resume();
    // The whole write takes about a second; only a timeout per block lets it finish.
    await writeWithBackpressure(client, new Uint8Array(size), 300, errors);
    client.end();
    await once(peer, 'end');
    expect(received).toBe(size);
  }, 20_000);
});
