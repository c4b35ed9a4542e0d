import type { Socket } from 'node:net';

/**
 * Writes bytes and resolves once the socket has taken them. When its buffer is full (`write`
 * returns false) this waits for 'drain', so a large message is never queued whole in memory;
 * it rejects with `onTimeout()` when the server takes nothing for `timeoutMs`, or with
 * `onClose()` when the socket closes first.
 */
export function writeWithBackpressure(
  socket: Socket,
  bytes: Uint8Array,
  timeoutMs: number,
  errors: { onTimeout: () => Error; onClose: () => Error },
): Promise<void> {
  if (socket.write(bytes)) return Promise.resolve();
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
