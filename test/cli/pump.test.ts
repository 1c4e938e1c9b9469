/** A recording replays with what hsmon sent (tx) and its marks, not only the device's bytes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pump } from '../../src/cli/pump.ts';
import { openFileSource } from '../../src/io/file-source.ts';
import { CastWriter } from '../../src/record/cast-writer.ts';
import { createSession } from '../../src/session/create-session.ts';

const dir = mkdtempSync(join(tmpdir(), 'hsmon-pump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();

describe('pump()', () => {
  it('a disconnect mark in a raw recording ends the partial line before it: no glued line on replay', async () => {
    const path = join(dir, 'glue.cast');
    const w = new CastWriter(path, { source: '/dev/ttyACM0', baud: 115200, redacted: false });
    w.rx(enc.encode('boot ok\r\nssl_tls.c:4670: |2| => hand'), 10);
    w.marker('serial disconnected: /dev/ttyACM0 vanished', 20);
    w.marker('serial reconnected', 30);
    w.rx(enc.encode('PSOC Edge MCU: Wi-Fi MQTT Client\r\n'), 40);
    w.close();
    const session = createSession({ diagnosis: null, source: { type: 'file', name: path } });
    const p = pump(await openFileSource(path, { speed: 'max' }), session, { liveClock: false });
    await p.done;
    session.end();
    const rx = session.getSnapshot().log.filter((l) => l.dir === 'rx').map((l) => l.text);
    expect(rx).toEqual(['boot ok', 'ssl_tls.c:4670: |2| => hand', 'PSOC Edge MCU: Wi-Fi MQTT Client']);
  });

  it('feeds rx to the parser and shows tx and markers in the log at their recorded times', async () => {
    const path = join(dir, 's.cast');
    const w = new CastWriter(path, { source: '/dev/ttyACM0', baud: 115200 });
    w.rx(enc.encode('ssl_tls.c:4670: |2| => handshake\r\n'), 10);
    w.tx(enc.encode('retry\r\n'), 20);
    w.marker('serial disconnected: unplugged', 30);
    w.rx(enc.encode('ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_CLIENT_HELLO\r\n'), 40);
    w.close();

    const session = createSession({ diagnosis: null, source: { type: 'file', name: path } });
    const p = pump(await openFileSource(path, { speed: 'max' }), session, { liveClock: false });
    await p.done;
    session.end();
    const log = session.getSnapshot().log.map((l) => [l.dir, l.text, l.t]);
    expect(log).toEqual([
      ['rx', 'ssl_tls.c:4670: |2| => handshake', 10],
      ['tx', 'retry', 20],
      ['note', '--- serial disconnected: unplugged', 30],
      ['rx', 'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_CLIENT_HELLO', 40],
    ]);
    expect(session.handshakeViews()[0]?.states).toEqual(['MBEDTLS_SSL_CLIENT_HELLO']);
  });
});
