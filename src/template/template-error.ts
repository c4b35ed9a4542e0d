/** Where in a template a problem is, 1-based as an editor shows it. */
export interface TemplatePosition {
  line: number;
  column?: number;
}

/**
 * A template that cannot be parsed or rendered: a misspelt variable, an unknown filter, a tag
 * left open, a loop over too much. The message starts with the template's name and line
 * (`subject, line 1: ...`) and ends with what to do, so a user can fix the workflow input.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  /** Where the template came from: `subject`, `body`, `body-file docs/mail.md`, `vars.title`. */
  readonly templateName: string;
  readonly line?: number;
  readonly column?: number;

  constructor(
    templateName: string,
    problem: string,
    position?: TemplatePosition,
    options?: { cause?: unknown },
  ) {
    super(`${templateName}${formatPosition(position)}: ${problem}`, options);
    this.templateName = templateName;
    if (position !== undefined) {
      this.line = position.line;
      if (position.column !== undefined) this.column = position.column;
    }
  }
}

function formatPosition(position: TemplatePosition | undefined): string {
  if (position === undefined) return '';
  const column = position.column === undefined ? '' : `, column ${position.column}`;
  return `, line ${position.line}${column}`;
}
