// Per-frame cost of the App at 140x45 on a debug-4 session: toggles help N times.
import React from 'react';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { render } from 'ink';
import { App } from '/work/wt/r12/src/ui/App.tsx';
import { createSession } from '/work/wt/r12/src/session/create-session.ts';
process.env.NODE_ENV = 'production';
const s = createSession({ source: { type: 'file', name: 'x' } });
s.setStatus({ state: 'open' });
const unit = readFileSync('/work/wt/r12/recordings/tls12_gcm_debug4_ok.log');
for (let i = 0; i < 20; i++) s.feed(unit, 0);
const stdout = new PassThrough() as any; stdout.isTTY = true; stdout.columns = 140; stdout.rows = 45; stdout.on('data', () => {});
const stdin = new PassThrough() as any; stdin.isTTY = true; stdin.setRawMode = () => {}; stdin.ref = () => {}; stdin.unref = () => {};
const times: number[] = []; let t0 = 0;
const inst = render(<App store={s} throttleMs={40} />, { stdout, stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 1000, incrementalRendering: false,
  onRender: ({ renderTime }: any) => { if (t0) { times.push(performance.now() - t0); t0 = 0; } } });
await new Promise((r) => setTimeout(r, 300));
for (let i = 0; i < 40; i++) {
  t0 = performance.now();
  stdin.write('?');
  await new Promise((r) => setTimeout(r, 30));
}
console.log('frames', times.length, 'avg', (times.reduce((a, b) => a + b, 0) / times.length).toFixed(1), 'max', Math.max(...times).toFixed(1), 'sorted', times.sort((a,b)=>a-b).map(x=>x.toFixed(0)).join(','));
inst.unmount();
process.exit(0);
