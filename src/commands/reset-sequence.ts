/**
 * DTR/RTS reset sequences in the notation of esp-idf-monitor's custom_reset_sequence:
 * steps separated by `|`; `D1`/`D0` set DTR, `R1`/`R0` set RTS, `U1,0` sets DTR and RTS at
 * once, `W0.1` waits 0.1 seconds. `1` asserts the line (pyserial's setDTR(True)).
 */
export type ResetStep =
  | { op: 'set'; dtr?: boolean; rts?: boolean }
  | { op: 'wait'; ms: number };

/** Waits longer than this are almost always milliseconds written where seconds belong. */
const MAX_WAIT_S = 10;

function bit(v: string, step: string, pos: number): boolean {
  if (v === '1') return true;
  if (v === '0') return false;
  throw new Error(`step ${pos} "${step}": expected 0 or 1, got "${v}"`);
}

/** Parses a sequence; throws an Error naming the step (1-based) and what was expected. */
export function parseResetSequence(text: string): ResetStep[] {
  const src = text.trim();
  if (src === '') throw new Error('empty reset sequence (example: "D0|R1|W0.1|R0")');
  return src.split('|').map((raw, idx) => {
    const step = raw.trim();
    const pos = idx + 1;
    const op = step[0]?.toUpperCase();
    const arg = step.slice(1).trim();
    switch (op) {
      case 'D': return { op: 'set', dtr: bit(arg, step, pos) };
      case 'R': return { op: 'set', rts: bit(arg, step, pos) };
      case 'U': {
        const m = /^([01])\s*,\s*([01])$/.exec(arg);
        if (!m) throw new Error(`step ${pos} "${step}": U takes DTR,RTS as two bits, e.g. U0,1`);
        return { op: 'set', dtr: m[1] === '1', rts: m[2] === '1' };
      }
      case 'W': {
        if (!/^\d+(\.\d+)?$|^\.\d+$/.test(arg)) throw new Error(`step ${pos} "${step}": W takes seconds, e.g. W0.1`);
        const s = Number(arg);
        if (s > MAX_WAIT_S) throw new Error(`step ${pos} "${step}": waits ${s} s; W takes seconds (W0.1 is 100 ms), at most ${MAX_WAIT_S}`);
        return { op: 'wait', ms: Math.round(s * 1000) };
      }
      default:
        throw new Error(`step ${pos} "${step}": unknown step; use D0/D1 (DTR), R0/R1 (RTS), U<dtr>,<rts> (both), W<seconds> (wait)`);
    }
  });
}

/** The sequence back in its text form (for help screens and the config docs). */
export function formatResetSequence(steps: readonly ResetStep[]): string {
  return steps
    .map((s) => {
      if (s.op === 'wait') return `W${s.ms / 1000}`;
      if (s.dtr !== undefined && s.rts !== undefined) return `U${s.dtr ? 1 : 0},${s.rts ? 1 : 0}`;
      return s.dtr !== undefined ? `D${s.dtr ? 1 : 0}` : `R${s.rts ? 1 : 0}`;
    })
    .join('|');
}
