/**
 * Line (src/ui/components/Line.tsx): Ink keeps every distinct string it measures for its layout
 * (ink/build/measure-text.js, a Map with no bound), so what the monitor draws must reach Ink's
 * measuring as a bounded set of strings however many distinct lines the device sends — and the
 * screen must read as it did with <Text wrap="truncate">.
 */
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import { createSession } from '../../src/session/create-session.ts';
import { Line, type Span } from '../../src/ui/components/Line.tsx';
import { render, renderApp, type Rendered } from './helpers/render.tsx';

let r: Rendered | null = null;
afterEach(() => {
  r?.unmount();
  r = null;
});

/** An ESP-IDF-style line, no two alike. */
const deviceLine = (i: number): string => `I (${1000 + i * 3}) sensor: sample ${i} v=${(i * 7919) % 100_003}`;

describe('Ink measures a bounded set of strings', () => {
  it('5 000 distinct device lines drawn over 250 frames: every one on screen, fewer than 100 distinct strings measured', async () => {
    const s = createSession({ source: { type: 'file', name: 'flood.log' } });
    // 100 columns: one pane with tabs; 6 shows the log pane, 24 rows under its head line.
    r = await renderApp(s, {}, { columns: 100, rows: 30 });
    await r.press('6');
    const measured = new Set<string>();
    let shown = 0;
    const perFrame = 20;
    for (let b = 0; b < 250; b++) {
      const batch = Array.from({ length: perFrame }, (_, k) => deviceLine(b * perFrame + k));
      s.feed(Buffer.from(batch.map((l) => `${l}\n`).join('')), b);
      const frame = await r.waitFor(`sample ${(b + 1) * perFrame - 1} `);
      shown += batch.filter((l) => frame.includes(l)).length;
      for (const m of r.measured()) measured.add(m);
    }
    expect(shown).toBe(5000);
    // With a <Text> per row each line was measured as itself: 5 509 distinct strings here (17 now).
    expect(measured.size).toBeGreaterThan(0);
    expect(measured.size).toBeLessThan(100);
    // What is measured holds none of the device's text.
    expect([...measured].filter((m) => m.includes('sample'))).toEqual([]);
  }, 120_000);
});

/** The frame of `node` in a box `width` wide. */
async function frameOf(node: React.ReactElement, width: number): Promise<string> {
  const one = await render(<Box width={width}>{node}</Box>, { columns: width + 10, rows: 3 });
  const f = one.frame();
  one.unmount();
  return f;
}

describe('Line draws what <Text wrap="truncate"> drew', () => {
  it.each([
    ['shorter than the width', 'ssl_tls.c:4681: |2| <= handshake', 40],
    ['exactly the width', 'x'.repeat(40), 40],
    ['longer: cut with …', 'ssl_client.c:2340: |1| mbedtls_ssl_handshake() returned -0x2700', 40],
    ['runs of spaces kept', 'a    b      c', 40],
    ['replacement patterns stay literal', 'price $& $1 $$ $` done', 40],
    ['wide characters that fit', 'subject CN=测试设备 O=例子', 40],
    ['wide characters cut on a cell boundary', '设备设备设备设备设备设备设备设备设备设备设备设备', 21],
    ['emoji', 'status 😀 ok 🔒 tls', 40],
  ])('%s', async (_name, text, width) => {
    const old = await frameOf(<Text wrap="truncate">{text}</Text>, width);
    const now = await frameOf(<Line width={width} text={text} />, width);
    expect(now).toBe(old);
    expect(now.length).toBeGreaterThan(0);
  });

  it('several spans in their styles, cut across them', async () => {
    const spans: Span[] = [{ text: ' replay tls.log ', inverse: true }, { text: ' end of file', color: 'green' }, { text: ' · 335 lines · ESP32-S3 mbedTLS 3.6.2' }];
    for (const width of [70, 40, 20, 16, 15, 2, 1]) {
      const old = await frameOf(
        <Text wrap="truncate">
          {spans.map((s, i) => (
            <Text key={i} inverse={s.inverse} color={s.color}>{s.text}</Text>
          ))}
        </Text>,
        width,
      );
      expect(await frameOf(<Line width={width} spans={spans} />, width), `width ${width}`).toBe(old);
    }
  });

  it('a wide character on the edge is left out: never wider than the width (cli-truncate drew one cell more)', async () => {
    // cli-truncate: slice to width-1 = 4 cells keeps 漢 (cells 3–4 of 'ab漢', 4 wide), then … → 5 cells.
    const old = await frameOf(<Text wrap="truncate">ab漢字cd</Text>, 4);
    expect(stringWidth(old)).toBe(5);
    const now = await frameOf(<Line width={4} text="ab漢字cd" />, 4);
    expect(now).toBe('ab…');
    expect(stringWidth(now)).toBeLessThanOrEqual(4);
  });

  it('escape sequences and control characters in the text do not reach the terminal', async () => {
    const now = await frameOf(<Line width={40} text={'a\u001b[2Jb\u001b]0;title\u0007c\u0000d\u001b[31me'} />, 40);
    expect(now).toBe('abcde');
  });
});
