/**
 * Reads a GITHUB_OUTPUT file back, for the end-to-end tests and for `npm run demo` alike. It
 * imports nothing, so that the demo's bundle takes in this file alone.
 */

/**
 * Parses the GITHUB_OUTPUT file: `name<<delimiter` heredocs as @actions/core writes them, and
 * plain `name=value` lines as the runner also accepts.
 */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc !== null) {
      const [, name = '', delimiter = ''] = heredoc;
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}
