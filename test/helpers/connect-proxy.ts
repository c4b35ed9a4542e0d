/**
 * A tiny HTTP CONNECT proxy (RFC 9110 9.3.6) on 127.0.0.1 for proxy tests. It tunnels only to
 * 127.0.0.1 and records every request it gets.
 *
 *     const proxy = await startConnectProxy({ auth: { user: 'u', password: 'p' } });
 *     // connect through proxy.url ('http://127.0.0.1:<port>'), with credentials as needed
 *     proxy.requests[0]?.headers['proxy-authorization'];
 *     await proxy.close();
 */
import { createServer, connect, type Socket } from 'node:net';
import { listenOnLoopback } from './loopback.js';

export interface ConnectProxyOptions {
  /** Require Basic credentials; a request without them (or with others) gets a 407. */
  auth?: { user: string; password: string };
  /**
   * Wait for the SMTP server's first bytes (its greeting) and send them in the SAME write as
   * the `200` response, as a proxy may when both are ready: the client must not lose them.
   */
  coalesceGreeting?: boolean;
  /** Answer every CONNECT with this raw response (e.g. a 403) and close. */
  respondWith?: string;
}

export interface ProxyRequest {
  /** The request line, e.g. `CONNECT 127.0.0.1:2525 HTTP/1.1`. */
  line: string;
  /** Header fields, names in lower case. */
  headers: Record<string, string>;
}

export interface ConnectProxy {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  readonly requests: readonly ProxyRequest[];
  close(): Promise<void>;
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const requests: ProxyRequest[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      client.off('data', onData);
      client.pause(); // Until the tunnel is piped: nothing the client sends may be lost.
      const request = parseRequest(head.subarray(0, end).toString('latin1'));
      requests.push(request);
      answer(client, request, head.subarray(end + 4), options, track);
    };
    client.on('data', onData);
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseRequest(head: string): ProxyRequest {
  const [line = '', ...fields] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon > 0)
      headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
  }
  return { line, headers };
}

function answer(
  client: Socket,
  request: ProxyRequest,
  early: Buffer,
  options: ConnectProxyOptions,
  track: (socket: Socket) => void,
): void {
  if (options.respondWith !== undefined) {
    client.end(options.respondWith);
    return;
  }
  const { auth } = options;
  const expected =
    auth === undefined
      ? undefined
      : `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  if (expected !== undefined && request.headers['proxy-authorization'] !== expected) {
    client.end(
      'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n' +
        'Content-Length: 0\r\n\r\n',
    );
    return;
  }
  const target = /^CONNECT 127\.0\.0\.1:(\d+) HTTP\/1\.1$/.exec(request.line);
  if (target === null) {
    client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const upstream = connect(Number(target[1]), '127.0.0.1');
  track(upstream);
  upstream.on('close', () => client.destroy());
  client.on('close', () => upstream.destroy());
  const established = 'HTTP/1.1 200 Connection established\r\n\r\n';
  upstream.once('connect', () => {
    if (early.length > 0) upstream.write(early);
    if (options.coalesceGreeting === true) {
      upstream.once('data', (greeting: Buffer) => {
        client.write(Buffer.concat([Buffer.from(established), greeting]));
        client.pipe(upstream);
        upstream.pipe(client);
      });
    } else {
      client.write(established);
      client.pipe(upstream);
      upstream.pipe(client);
    }
  });
}
