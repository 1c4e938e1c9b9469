/**
 * Attempts that ended long ago are compacted (HandshakeTracker keeps up to 10 000 of them): the
 * summary must read the same from the compacted view, and the per-record and per-visit detail
 * is gone. Corpus logs through a real session.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compactView } from '../../src/session/compact-view.ts';
import { toSummary } from '../../src/session/handshakes.ts';
import { createSession } from '../../src/session/create-session.ts';

const views = (name: string) => {
  const s = createSession({ diagnosis: null, source: { type: 'file', name } });
  s.feed(readFileSync(new URL(`../../recordings/${name}`, import.meta.url)), 0);
  s.end();
  return s.getSnapshot().handshakes;
};

describe('compactView', () => {
  it.each(['tls12_gcm_debug4_ok.log', 'tls12_no_shared_cipher.log', 'tls12_server_untrusted.log', 'm228_tls12_mtls_ok.log'])(
    '%s: the summary is unchanged, the detail is dropped',
    (name) => {
      const vs = views(name);
      expect(vs.length).toBeGreaterThan(0);
      for (const v of vs) {
        const c = compactView(v);
        expect(toSummary(c)).toEqual(toSummary(v));
        expect(c.visits).toEqual([]);
        expect(c.recordList).toEqual([]);
        expect(c.messages).toEqual([]);
        expect(c.errors).toEqual(v.errors.slice(-3));
        expect(c.offeredCiphersuites).toEqual(v.offeredCiphersuites);
        expect(c.current).toBe(v.current);
      }
      // The debug-4 log had records and visits to drop.
      if (name === 'tls12_gcm_debug4_ok.log') expect(vs[0]!.recordList.length).toBeGreaterThan(10);
    },
  );
});
