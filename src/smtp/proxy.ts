import type { Socket } from 'node:net';
import { raceAbort, startDeadline } from './deadline.js';
import { SmtpConnectionError, SmtpInputError, SmtpTimeoutError } from './errors.js';
import { connectTcp, describeNetError, formatEndpoint } from './net-connect.js';

/** A proxy's response header larger than this is refused: a proxy answers CONNECT in a few lines. */
const maxResponseHeader = 16 * 1024;

const headerEnd = Buffer.from('\r\n\r\n');

/** RFC 9112 4: `HTTP/1.x SP 3DIGIT SP reason`; the reason may be empty. */
const statusLine = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?$/;

/** Host names and IP literals only: anything else could break the CONNECT line. */
const safeHost = /^[A-Za-z0-9._:-]+$/;

interface ProxyEndpoint {
  host: string;
  port: number;
  /** `http://host:port`, never with credentials: the only form that goes into messages. */
  label: string;
  authorization?: string;
}

/**
 * Opens a tunnel to `host:port` through an HTTP proxy with CONNECT (RFC 9110 9.3.6) and returns
 * the socket, paused, positioned at the first byte from the SMTP server: any bytes that came
 * with the proxy's response (a greeting may share its packet) are unshifted back, so the caller
 * must `resume()` the socket after attaching its reader.
 *
 * `proxyUrl` is `http://[user:password@]host:port`; credentials go in a Basic
 * Proxy-Authorization header and never into an error message.
 */
export async function openProxyTunnel(
  proxyUrl: string,
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Socket> {
  const proxy = parseProxyUrl(proxyUrl);
  if (!safeHost.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SmtpInputError(
      `Invalid SMTP host or port for the proxy tunnel: ${JSON.stringify(host)}:${port}.`,
    );
  }
  const target = formatEndpoint(host, port);
  const deadline = startDeadline(
    timeoutMs,
    () =>
      new SmtpTimeoutError(
        `The proxy ${proxy.label} did not open a tunnel to ${target} within ${timeoutMs / 1000} s.`,
        { phase: 'connect', transient: true },
      ),
    signal,
  );
  try {
    const socket = await connectTcp(
      proxy.host,
      proxy.port,
      `the proxy ${proxy.label}`,
      deadline.signal,
    );
    const request = [
      `CONNECT ${target} HTTP/1.1`,
      `Host: ${target}`,
      ...(proxy.authorization === undefined ? [] : [`Proxy-Authorization: ${proxy.authorization}`]),
      '',
      '',
    ].join('\r\n');
    socket.write(request);
    const { status, reason } = await readResponseHeader(socket, proxy, deadline.signal);
    if (status < 200 || status > 299) {
      socket.destroy();
      throw refusal(status, reason, proxy, target);
    }
    return socket;
  } finally {
    deadline.dispose();
  }
}

function parseProxyUrl(proxyUrl: string): ProxyEndpoint {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    // The text may hold a password: do not echo it.
    throw new SmtpInputError(
      'The proxy must be a URL of the form http://[user:password@]host:port.',
    );
  }
  if (url.protocol !== 'http:') {
    throw new SmtpInputError(
      `The proxy URL scheme "${url.protocol}" is not supported: only http:// CONNECT proxies are.`,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? 80 : Number(url.port);
  const endpoint: ProxyEndpoint = { host, port, label: `http://${formatEndpoint(host, port)}` };
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    endpoint.authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  return endpoint;
}

/** Reads up to the blank line that ends the header; leaves any later bytes in the socket. */
function readResponseHeader(
  socket: Socket,
  proxy: ProxyEndpoint,
  signal: AbortSignal,
): Promise<{ status: number; reason: string }> {
  const what = `the proxy ${proxy.label}`;
  return raceAbort(
    signal,
    (resolve, reject) => {
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        const end = buffered.indexOf(headerEnd);
        if (end === -1) {
          if (buffered.length > maxResponseHeader) {
            reject(proxyError(proxy, `sent a response header over ${maxResponseHeader} octets`));
          }
          return;
        }
        // Stop the flow before handing back what follows the header: in flowing mode with no
        // listener, the next chunk would be lost.
        socket.pause();
        const rest = buffered.subarray(end + headerEnd.length);
        if (rest.length > 0) socket.unshift(rest);
        const firstLine = buffered.subarray(0, end).toString('latin1').split('\r\n', 1)[0];
        const match = statusLine.exec(firstLine ?? '');
        if (match === null) reject(proxyError(proxy, 'did not answer CONNECT with an HTTP status'));
        else resolve({ status: Number(match[1]), reason: match[2] ?? '' });
      });
      socket.once('error', (error) =>
        reject(describeNetError(error, proxy.host, proxy.port, what)),
      );
      socket.once('close', () => reject(proxyError(proxy, 'closed the connection early')));
    },
    (succeeded) => {
      socket.removeAllListeners('data');
      socket.removeAllListeners('error');
      socket.removeAllListeners('close');
      if (succeeded) return;
      socket.on('error', () => undefined);
      socket.destroy();
    },
  );
}

function proxyError(proxy: ProxyEndpoint, what: string): SmtpConnectionError {
  return new SmtpConnectionError(`The proxy ${proxy.label} ${what}.`, {
    phase: 'connect',
    transient: true,
  });
}

function refusal(
  status: number,
  reason: string,
  proxy: ProxyEndpoint,
  target: string,
): SmtpConnectionError {
  const answer = `${status}${reason === '' ? '' : ` ${reason}`}`.replace(/[^\x20-\x7e]/g, '?');
  let advice = 'check that the proxy allows CONNECT to this host and port';
  if (status === 407) {
    advice =
      proxy.authorization === undefined
        ? 'the proxy requires authentication: give user:password in the proxy URL'
        : 'the proxy rejected the credentials in the proxy URL';
  }
  return new SmtpConnectionError(
    `The proxy ${proxy.label} refused the tunnel to ${target} (${answer}): ${advice}.`,
    { phase: 'connect', transient: status >= 500 },
  );
}
