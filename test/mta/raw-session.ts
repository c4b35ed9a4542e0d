/**
 * A plain-text SMTP session written byte for byte, with no client of ours in between: the
 * control for the smuggling tests, showing what Postfix does with the bytes our client must
 * never send.
 */
import { connect } from 'node:net';

/**
 * Connects to `host:port`, waits for the greeting, then writes each chunk of `writes` after
 * the previous reply and returns every reply (greeting first) as the server sent it. Replies
 * are taken as complete once a line `NNN ` (a code and a space) ends the data read so far.
 */
export function runRawSession(host: string, port: number, writes: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    const replies: string[] = [];
    const pending = [...writes];
    let buffer = '';
    socket.setEncoding('latin1');
    socket.setTimeout(10_000, () => socket.destroy(new Error('the raw session timed out')));
    socket.on('data', (data: string) => {
      buffer += data;
      if (!/(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(buffer)) return;
      replies.push(buffer);
      buffer = '';
      const next = pending.shift();
      if (next === undefined) socket.end();
      else socket.write(next, 'latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies));
  });
}
