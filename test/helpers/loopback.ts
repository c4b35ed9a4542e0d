import { once } from 'node:events';
import type { Server } from 'node:net';

/** Listens on 127.0.0.1 on a port the system picks (tests never leave loopback); its number. */
export async function listenOnLoopback(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
