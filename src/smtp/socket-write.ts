import type { Socket } from 'node:net';

/**
 * The most handed to the socket at once. RFC 5321 4.5.3.2.5 times "each TCP SEND call
 * transmitting a chunk of data"; one write may carry a whole message, so it is sent in blocks,
 * each with its own timeout: a server that keeps reading, however slowly, is not cut off for
 * the time a large message takes as a whole; one that stops reading is, after `timeoutMs`.
 */
const blockSize = 64 * 1024;

interface WriteErrors {
  onTimeout: () => Error;
  onClose: () => Error;
}

/**
 * Writes bytes and resolves once the socket has taken them. When its buffer is full (`write`
 * returns false) this waits for 'drain' before the next block, so a large message is never
 * queued whole in memory; it rejects with `onTimeout()` when the server takes nothing for
 * `timeoutMs`, or with `onClose()` when the socket closes first.
 */
export async function writeWithBackpressure(
  socket: Socket,
  bytes: Uint8Array,
  timeoutMs: number,
  errors: WriteErrors,
): Promise<void> {
  for (let start = 0; start < bytes.length; start += blockSize) {
    if (socket.destroyed) throw errors.onClose();
    const block = bytes.subarray(start, start + blockSize);
    if (!socket.write(block)) await drained(socket, timeoutMs, errors);
  }
}

function drained(socket: Socket, timeoutMs: number, errors: WriteErrors): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => finish();
    const onClose = (): void => finish(errors.onClose());
    const timer = setTimeout(() => finish(errors.onTimeout()), timeoutMs);
    socket.on('drain', onDrain);
    socket.on('close', onClose);
  });
}
