/** CPU profile of the session pipeline in process (warm), for finding hot spots: writes a .cpuprofile (PROFILE_OUT). */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session as InspSession } from 'node:inspector/promises';
import { createSession } from '../../src/session/create-session.ts';
const unit = readFileSync(new URL('../../recordings/tls12_gcm_debug4_ok.log', import.meta.url));
const buf = Buffer.concat(Array.from({ length: 270 }, () => unit));
const run = () => { const s = createSession({ source: { type: 'file', name: 'x' } }); let n = 0; s.onEvent(() => n++); for (let i = 0; i < buf.length; i += 65536) s.feed(buf.subarray(i, i + 65536), 0); s.end(); return n; };
run();
const insp = new InspSession(); insp.connect();
await insp.post('Profiler.enable'); await insp.post('Profiler.start');
const t0 = performance.now(); const n = run(); const dt = performance.now() - t0;
const { profile } = await insp.post('Profiler.stop');
writeFileSync(process.env['PROFILE_OUT'] ?? 'session.cpuprofile', JSON.stringify(profile));
console.log('MB/s', (buf.length / 1048576 / (dt / 1000)).toFixed(1), 'events', n);
