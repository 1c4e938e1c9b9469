/**
 * A reader that goes away (`hsmon replay … --json | head`, an agent host that quit) closes
 * stdout under hsmon. That is the end of the run, not an error: hsmon stops quietly with exit
 * 0 and writes nothing more. A command that has something of its own to finish (monitor: the
 * recording, the port) registers a handler and ends itself; without one the process ends here.
 */
let handler: (() => void) | null = null;
let closed = false;

/** Installs the listener once, before any output. */
export function watchStdout(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (closed) return;
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') {
      process.stderr.write(`hsmon: cannot write the output: ${err.message}\n`);
      process.exit(2);
    }
    closed = true;
    process.exitCode = 0;
    if (handler) handler();
    else process.exit(0);
  });
}

/** True once the reader went away. */
export function stdoutClosed(): boolean {
  return closed;
}

/** `onClose` runs instead of the immediate exit; returns the function that removes it. */
export function onStdoutClosed(onClose: () => void): () => void {
  handler = onClose;
  if (closed) queueMicrotask(onClose);
  return () => {
    if (handler === onClose) handler = null;
  };
}
