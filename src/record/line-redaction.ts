/**
 * The redaction a recording is written from, on the thread that reads the port
 * (tty-reader-worker.ts): the parse stage's framer and secret redactor, without the parsers.
 * Redaction is a function of the device's lines alone (the parsers never feed it), so fed the
 * same bytes and the same line breaks as the session's stage, it hides the same lines the same
 * way; it is the recording's copy of that state, kept where the bytes arrive.
 */
import { LineFramer } from '../../parsers/frame.ts';
import { SecretRedactor, type SecretKind } from '../../parsers/secrets.ts';

export class LineRedaction {
  private readonly framer = new LineFramer();
  private readonly redactor: SecretRedactor;

  constructor(patterns: readonly string[], private readonly onLine: (text: string) => void) {
    this.redactor = new SecretRedactor({ patterns });
  }

  push(chunk: Uint8Array): void {
    for (const line of this.framer.push(chunk, 0)) this.onLine(this.redactor.redact(line.text).text);
  }

  /** The port vanished: the partial line is a line of its own (as Session.breakLine). */
  breakLine(): void {
    for (const line of this.framer.flush(0)) this.onLine(this.redactor.redact(line.text).text);
  }

  /** Of the line in progress, what may be written now (ParseStage.safePartial). */
  partial(): string {
    const text = this.framer.partial();
    return text === '' ? text : text.slice(0, this.redactor.safePrefix(text));
  }

  counts(): Record<SecretKind, number> {
    return { ...this.redactor.counts };
  }
}
