/**
 * The one way UI tests render: ink-testing-library behind an async wrapper (so a move to a
 * different terminal emulator later changes this file, not every test), a terminal size of the
 * test's choosing, key names instead of escape codes, and sessions built from corpus logs.
 */
import React from 'react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Box, type DOMElement } from 'ink';
import { render as inkRender } from 'ink-testing-library';
import { createSession } from '../../../src/session/create-session.ts';
import type { Session } from '../../../src/session/session.ts';
import type { Snapshot } from '../../../src/session/types.ts';
import type { SnapshotStore } from '../../../src/ui/controls.ts';
import { App, type AppProps } from '../../../src/ui/App.tsx';
import { poll } from '../../helpers/poll.ts';

export const KEYS = {
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  shiftTab: '\u001b[Z',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  backspace: '\u007f',
  ctrlC: '\u0003',
  ctrlT: '\u0014',
} as const;

export interface Rendered {
  /** The last frame, as a person would read it (no colour codes: the test setup sets FORCE_COLOR=0). */
  frame(): string;
  frames(): string[];
  /** Type keys one at a time, waiting for React to settle after each. */
  press(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  /** Poll the frame until it contains `text` (or the predicate holds); throws with the last frame. */
  waitFor(text: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /**
   * What Ink measures to lay out the tree now on screen: the text of every outermost text node,
   * joined as ink/build/squash-text-nodes.js joins it for measure-text.js (nested text with its
   * transform, the node's own transform not). Ink keeps each distinct one for good.
   */
  measured(): string[];
  unmount(): void;
}

/** ink/build/squash-text-nodes.js without its ANSI sanitising (tests draw without colour). */
function squash(node: DOMElement): string {
  let text = '';
  node.childNodes.forEach((child, index) => {
    if (child.nodeName === '#text') {
      text += child.nodeValue;
      return;
    }
    let inner = child.nodeName === 'ink-text' || child.nodeName === 'ink-virtual-text' ? squash(child) : '';
    if (inner.length > 0 && typeof child.internal_transform === 'function') inner = child.internal_transform(inner, index);
    text += inner;
  });
  return text;
}

function outermostTexts(node: DOMElement, out: string[]): string[] {
  for (const child of node.childNodes) {
    if (child.nodeName === 'ink-text') out.push(squash(child));
    else if (child.nodeName !== '#text') outermostTexts(child, out);
  }
  return out;
}

const settle = async (): Promise<void> => {
  // React 19 schedules work on a macrotask; yield twice so effects and their renders land.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setImmediate(r));
};

export async function render(node: React.ReactElement, size: { columns?: number; rows?: number } = {}): Promise<Rendered> {
  let columns = size.columns ?? 100;
  let rows = size.rows ?? 30;
  // ink-testing-library's stdout is 100 columns and has no rows; give it the test's size
  // before the real tree mounts (Ink reads the width on every layout).
  const r = inkRender(<Box />);
  Object.defineProperty(r.stdout, 'columns', { get: () => columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { get: () => rows, configurable: true });
  // A box of no size out of the flow: its parent is Ink's root node, for `measured`.
  const probe = React.createRef<DOMElement>();
  r.rerender(
    <>
      {node}
      <Box ref={probe} position="absolute" width={0} height={0} />
    </>,
  );
  await settle();
  const frame = (): string => r.lastFrame() ?? '';
  return {
    frame,
    frames: () => r.frames,
    async press(...keys: string[]) {
      for (const k of keys) {
        r.stdin.write(k);
        await settle();
      }
    },
    async resize(c: number, h: number) {
      columns = c;
      rows = h;
      r.stdout.emit('resize');
      await settle();
    },
    async waitFor(want, timeoutMs = 3000) {
      const ok = (f: string): boolean =>
        typeof want === 'string' ? f.includes(want) : want instanceof RegExp ? want.test(f) : want(f);
      return poll(String(want), () => (ok(frame()) ? frame() : null), { timeoutMs, intervalMs: 10, last: frame });
    },
    measured() {
      const root = probe.current?.parentNode;
      if (!root) throw new Error('Ink root not found: the probe box is not mounted');
      return outermostTexts(root, []);
    },
    unmount() {
      r.unmount();
      r.cleanup();
    },
  };
}

/** A store that never changes: for snapshots built by hand. */
export function staticStore(snapshot: Snapshot): SnapshotStore {
  return { getSnapshot: () => snapshot, onChange: () => () => {} };
}

/**
 * A session (with the diagnosis, as the CLI wires it) fed a log: `recordings/x.log` or a
 * fixture path from the project root. With `msPerLine`, line i (0-based) arrives at
 * t = i × msPerLine (a timed replay), so state durations can be worked out from line numbers.
 */
export async function corpusSession(file: string, opts: { msPerLine?: number; end?: boolean } = {}): Promise<Session> {
  const path = resolve(import.meta.dirname, '../../..', file);
  const s = createSession({ source: { type: 'file', name: file } });
  const bytes = readFileSync(path);
  if (opts.msPerLine === undefined) {
    s.feed(bytes, 0);
  } else {
    let start = 0;
    let i = 0;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, start)) {
      s.feed(bytes.subarray(start, at + 1), i * opts.msPerLine);
      start = at + 1;
      i++;
    }
    if (start < bytes.length) s.feed(bytes.subarray(start), i * opts.msPerLine);
  }
  if (opts.end !== false) {
    s.setStatus({ state: 'ended' });
    s.end();
  }
  await s.settled();
  return s;
}

/** The whole monitor over a store, with throttling off unless the test asks for it. */
export async function renderApp(store: SnapshotStore, props: Partial<AppProps> = {}, size: { columns?: number; rows?: number } = {}): Promise<Rendered> {
  return render(<App store={store} throttleMs={props.throttleMs ?? 0} {...props} />, size);
}
