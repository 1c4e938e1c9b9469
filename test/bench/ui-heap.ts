/**
 * What the interactive UI keeps while a device floods it with distinct lines (issue 12): the
 * whole App rendered by Ink at 140×45 into a sink, a session fed 40 new lines before every
 * frame, and the live heap after a full garbage collection at checkpoints. The session's rings
 * are full before the first checkpoint (its log keeps 2 000 lines), so what still grows is what
 * the drawing keeps: Ink's measure cache holds every distinct string it measured, forever,
 * unless the rows reach it as placeholders (src/ui/components/Line.tsx).
 *
 *   node --expose-gc scripts/run-ts.js test/bench/ui-heap.ts [frames]
 */
import { PassThrough, Writable } from 'node:stream';

// React's development build keeps every render's prop diff in performance entries (the monitor
// runs the production build for that reason: src/cli/interactive.ts); it would drown the figure.
// Imported after setting it, and no JSX here (its runtime import would be hoisted above this).
process.env['NODE_ENV'] ??= 'production';
const { default: React } = await import('react');
// Ink draws through the tokenizer the monitor gives it; it keeps lines across frames (bounded).
const { useFastInkTokenizer } = await import('../../src/io/ink-tokenizer.ts');
await useFastInkTokenizer();
const { render } = await import('ink');
const { createSession } = await import('../../src/session/create-session.ts');
const { App } = await import('../../src/ui/App.tsx');
const { floodLine } = await import('./ui-flood.ts');

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stdout.write('   UI heap: skipped (run with node --expose-gc)\n');
  process.exit(0);
}
const frames = Number(process.argv[2] ?? 3000);
const perFrame = 40;
const session = createSession({ source: { type: 'file', name: 'flood.log' }, logCapacity: 2000 });
const sink = new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
Object.assign(sink, { isTTY: true, columns: 140, rows: 45 });
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {}, ref: () => {}, unref: () => {} }) as unknown as NodeJS.ReadStream;
let rendered = 0;
const times: number[] = [];
const inst = render(React.createElement(App, { store: session, throttleMs: 0 }), {
  stdout: sink, stdin, patchConsole: false, exitOnCtrlC: false, maxFps: 10_000, incrementalRendering: false,
  onRender: ({ renderTime }) => {
    rendered++;
    times.push(renderTime);
  },
});
const enc = new TextEncoder();
let fed = 0;
async function frame(): Promise<void> {
  const before = rendered;
  const text = Array.from({ length: perFrame }, () => `${floodLine(fed++)}\n`).join('');
  session.feed(enc.encode(text), fed);
  const deadline = performance.now() + 5000;
  while (rendered === before) {
    if (performance.now() > deadline) throw new Error(`no frame in 5 s (frame ${fed / perFrame}, ${rendered} rendered)`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};
const points: { frames: number; mb: number }[] = [];
const marks = [Math.floor(frames / 4), Math.floor(frames / 2), frames];
let busy = 0;
for (let f = 1; f <= frames; f++) {
  const t0 = performance.now();
  await frame();
  busy += performance.now() - t0;
  if (marks.includes(f)) points.push({ frames: f, mb: heapMb() });
}
inst.unmount();
const [a, , c] = points;
const perThousand = ((c!.mb - a!.mb) * 1000) / (c!.frames - a!.frames);
times.sort((x, y) => x - y);
process.stdout.write(`   UI flood in process (${perFrame} new lines a frame, 140×45): live heap after a full GC ${points.map((p) => `${p.mb.toFixed(1)} MB at ${p.frames} frames (${p.frames * perFrame} lines)`).join(', ')}\n`);
// The lines Ink's tokenizer keeps (bin/ink-tokenizer.js: two generations, up to ~6 MB) make the
// heap at a checkpoint swing by about ±2 MB with where the generations stand: a verdict needs a
// span of thousands of frames.
const verdict = c!.frames - a!.frames < 3000 ? 'not judged over so few frames' : perThousand < 1 ? 'met' : 'NOT MET';
process.stdout.write(`   ≈ ${perThousand.toFixed(2)} MB more per 1 000 frames (target < 1 MB: bounded → ${verdict}); Ink renderTime p50 ${times[times.length >> 1]!.toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1)} ms; feed to frame drawn ${(busy / frames).toFixed(1)} ms a frame (React and Ink)\n`);
process.exit(0);
