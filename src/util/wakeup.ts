/**
 * One waiter, woken by the next `wake()`: how the parse worker's loops wait for what another
 * thread sends (acknowledgements, blocks) without polling (src/cli/parse-worker.ts).
 */
export class Wakeup {
  private waiter: (() => void) | null = null;

  /** Resolves at the next wake(). */
  next(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** Returns once `ready()` holds, asking again at each wake(). */
  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await this.next();
  }
}
