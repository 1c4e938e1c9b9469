/**
 * The detail view of one item (finding, state, record, certificate, key, PSA call, MQTT
 * message, log line): every field in full, the log lines it cites with context, and the item as
 * JSON for `y`. Built from the snapshot when the view opens, so it stays still while a replay
 * runs on underneath.
 */
import type { LogLineView } from '../../session/types.ts';

export interface DetailDoc {
  title: string;
  /** Label and full text; the view wraps them. */
  fields: [string, string][];
  /** Source lines (seq) the item cites. */
  evidence: number[];
  /** What `y` saves. */
  json: unknown;
}

export interface EvidenceLine {
  seq: number;
  text: string;
  cited: boolean;
}

/** Lines around each cited one (`context` before and after), in order, gaps marked by null. */
export function evidenceWithContext(log: readonly LogLineView[], cited: readonly number[], context = 2): (EvidenceLine | null)[] {
  const want = new Set(cited);
  const rx = log.filter((l) => l.dir === 'rx' || want.has(l.seq));
  const keep = new Set<number>();
  rx.forEach((l, i) => {
    if (!want.has(l.seq)) return;
    for (let k = Math.max(0, i - context); k <= Math.min(rx.length - 1, i + context); k++) keep.add(k);
  });
  const out: (EvidenceLine | null)[] = [];
  let prev = -2;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (prev !== -2 && i !== prev + 1) out.push(null);
    const l = rx[i]!;
    out.push({ seq: l.seq, text: l.text, cited: want.has(l.seq) });
    prev = i;
  }
  return out;
}

/** A field list from an object's own fields, for items whose every field is worth showing. */
export function fieldsOf(o: Record<string, unknown>, skip: readonly string[] = []): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (skip.includes(k) || v === undefined) continue;
    out.push([k, typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return out;
}
