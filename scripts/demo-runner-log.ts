/**
 * What the runner does with a step's stdout, for the demo: it reads workflow commands
 * (`::add-mask::`, `::group::`, `::warning::`, `::stop-commands::`) instead of printing them,
 * and replaces every masked secret with `***` in what it does print. Without this the demo
 * would show the `::add-mask::` lines, i.e. the very secrets the action asked to hide.
 */

const COMMAND = /^::([A-Za-z0-9_-]+)(?: ([^:]*))?::(.*)$/;

/** Workflow command data escaping (@actions/core `escapeData`): %, CR and LF. */
function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

const LABELS: Readonly<Record<string, string>> = {
  error: 'Error: ',
  warning: 'Warning: ',
  notice: 'Notice: ',
};

export class RunnerLog {
  readonly #secrets = new Set<string>();
  readonly #write: (line: string) => void;
  /** While set, commands are printed as text until `::<token>::` (CVE-2020-15228 defence). */
  #stopToken: string | undefined;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  /** The runner applies a command only at the start of a line, after leading whitespace. */
  line(raw: string): void {
    const match = COMMAND.exec(raw.trimStart());
    if (match === null) return this.#print(raw);
    const [, name = '', , data = ''] = match;
    if (this.#stopToken !== undefined) {
      if (name === this.#stopToken) this.#stopToken = undefined;
      else this.#print(raw);
      return;
    }
    this.#apply(name, unescapeData(data), raw);
  }

  #apply(name: string, data: string, raw: string): void {
    if (name === 'add-mask') {
      if (data !== '') this.#secrets.add(data);
    } else if (name === 'stop-commands') {
      this.#stopToken = data;
    } else if (name === 'group') {
      this.#print(`▸ ${data}`);
    } else if (name === 'endgroup' || name === 'debug') {
      // The runner folds groups and hides debug lines unless step debugging is on.
    } else if (name in LABELS) {
      for (const text of data.split('\n')) this.#print(`${LABELS[name]}${text}`);
    } else {
      this.#print(raw);
    }
  }

  #print(text: string): void {
    let masked = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      masked = masked.split(secret).join('***');
    }
    this.#write(masked);
  }
}
