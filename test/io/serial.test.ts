import { afterEach, describe, expect, it } from 'vitest';
import { SerialPortMock } from 'serialport';
import { openSerialSource, type PortOpenOptions, type SerialPortLike } from '../../src/io/serial.ts';
import type { SourceStatus } from '../../src/io/source.ts';
import { poll } from '../helpers/poll.ts';

// The registry SerialPortMock uses: importing @serialport/binding-mock directly can load a second
// copy (ESM next to serialport's CommonJS) with ports of its own.
const MockBinding = SerialPortMock.binding;
type MockPortBinding = NonNullable<SerialPortMock['port']>;
afterEach(() => MockBinding.reset());

/** Ports made through the mock binding; the last one is the live one. */
function factory(): { create: (o: PortOpenOptions) => SerialPortLike; ports: SerialPortMock[]; options: PortOpenOptions[]; sets: { port: number; dtr?: boolean; rts?: boolean }[] } {
  const ports: SerialPortMock[] = [];
  const options: PortOpenOptions[] = [];
  const sets: { port: number; dtr?: boolean; rts?: boolean }[] = [];
  return {
    ports,
    options,
    sets,
    create: (o) => {
      options.push(o);
      const p = new SerialPortMock(o);
      const index = ports.length;
      const set = p.set.bind(p);
      p.set = ((opts: { dtr?: boolean; rts?: boolean }, cb: (err: Error | null) => void) => {
        sets.push({ port: index, ...opts });
        return set(opts, cb);
      }) as typeof p.set;
      ports.push(p);
      return p as unknown as SerialPortLike;
    },
  };
}

const binding = (p: SerialPortMock): MockPortBinding => p.port as MockPortBinding;

describe('openSerialSource (mock binding)', () => {
  it('rejects with one explained line when the port does not exist', async () => {
    const f = factory();
    await expect(openSerialSource({ path: '/dev/ttyUSB9', createPort: f.create })).rejects.toThrow(
      'no such device: /dev/ttyUSB9 — run `hsmon ports` to list serial ports',
    );
  });

  // flock's EWOULDBLOCK, as @serialport/bindings-cpp words it (serialport_unix.cpp: "Cannot lock port").
  const locked = (f: ReturnType<typeof factory>, failures: number) => (o: PortOpenOptions): SerialPortLike => {
    const p = f.create(o);
    if (f.ports.length <= failures) {
      p.open = ((cb: (err: Error | null) => void) => cb(new Error('Error Resource temporarily unavailable Cannot lock port'))) as typeof p.open;
    }
    return p;
  };

  it('tries a port held for a moment again, and opens it once it is free', async () => {
    MockBinding.createPort('/dev/ttyMOCK0', { echo: false, record: true });
    const f = factory();
    const src = await openSerialSource({ path: '/dev/ttyMOCK0', createPort: locked(f, 3), preRead: null });
    expect(f.ports).toHaveLength(4);
    await src.close();
  });

  it('says the port is busy when the hold lasts', async () => {
    // A character device that exists, so the explanation gets past "no such device".
    MockBinding.createPort('/dev/null', { echo: false, record: true });
    const f = factory();
    await expect(openSerialSource({ path: '/dev/null', createPort: locked(f, 100), preRead: null })).rejects.toThrow(/^port busy: \/dev\/null/);
    expect(f.ports).toHaveLength(10);
  });

  it('opens with the line settings, hupcl off, and delivers bytes', async () => {
    MockBinding.createPort('/dev/ttyMOCK0', { echo: false, record: true });
    const f = factory();
    const src = await openSerialSource({ path: '/dev/ttyMOCK0', baud: 921600, dataBits: 7, parity: 'even', stopBits: 2, rtscts: true, createPort: f.create });
    expect(src.name).toBe('/dev/ttyMOCK0 @ 921600');
    expect(f.options[0]).toMatchObject({ baudRate: 921600, dataBits: 7, parity: 'even', stopBits: 2, rtscts: true, hupcl: false });
    const got: string[] = [];
    const statuses: SourceStatus[] = [];
    await src.start({ data: (c) => got.push(Buffer.from(c).toString()), status: (s) => statuses.push(s) });
    binding(f.ports[0]!).emitData('client state: 1\r\n');
    await poll('the line from the port', () => got.join('') === 'client state: 1\r\n', { timeoutMs: 3000 });
    await src.write(new TextEncoder().encode('retry\r\n'));
    expect(binding(f.ports[0]!).recording.toString()).toBe('retry\r\n');
    await src.close();
    expect(statuses.map((s) => s.state)).toEqual(['open', 'closed']);
  });

  it('reports reconnecting when the device vanishes, reopens it, and restores DTR/RTS', async () => {
    MockBinding.createPort('/dev/ttyMOCK1', { echo: false, record: true });
    const f = factory();
    const src = await openSerialSource({ path: '/dev/ttyMOCK1', createPort: f.create, pathExists: () => true, pollMs: 20 });
    const statuses: SourceStatus[] = [];
    const got: string[] = [];
    await src.start({ data: (c) => got.push(Buffer.from(c).toString()), status: (s) => statuses.push(s) });
    await src.setSignals!({ dtr: false, rts: false });

    // Unplug: the device disappears and the pending read fails, as a USB re-enumeration does.
    const first = binding(f.ports[0]!);
    first.emitData('last words\r\n');
    await poll('the last words before the unplug', () => got.join('').includes('last words'), { timeoutMs: 3000 });
    MockBinding.reset();
    first.read = () => Promise.reject(new Error('Input/output error'));
    first.emitData('!'); // completes the read in flight; the next one fails
    await poll('the reconnecting status', () => statuses.some((s) => s.state === 'reconnecting'), { timeoutMs: 3000 });
    const rec = statuses.find((s) => s.state === 'reconnecting') as { detail: string };
    expect(rec.detail).toContain('/dev/ttyMOCK1 vanished');
    // Several reopen attempts fail while it is gone (each one creates a port), and the state stays.
    const tries = f.options.length;
    await poll('three failed reopen attempts', () => f.options.length >= tries + 3, { timeoutMs: 3000 });
    expect(statuses[statuses.length - 1]!.state).toBe('reconnecting');

    // Replug.
    MockBinding.createPort('/dev/ttyMOCK1', { echo: false, record: true });
    await poll('the port open again', () => statuses[statuses.length - 1]!.state === 'open' && statuses.length >= 3, { timeoutMs: 3000 });
    const live = f.ports[f.ports.length - 1]!;
    expect(f.options[f.options.length - 1]!.hupcl).toBe(false);
    // The lines are put back to what the user had, so reconnecting does not pulse them.
    expect(f.sets).toEqual([{ port: 0, dtr: false, rts: false }, { port: f.ports.length - 1, dtr: false, rts: false }]);
    binding(live).emitData('after replug\r\n');
    await poll('the bytes after the replug', () => got.join('').includes('after replug'), { timeoutMs: 3000 });
    await src.write(new TextEncoder().encode('x'));
    expect(binding(live).recording.toString()).toBe('x');
    await src.close();
    expect(statuses.map((s) => s.state)).toEqual(['open', 'reconnecting', 'open', 'closed']);
  });

  it('with a reader, serialport reads nothing: the reader reads the node, its loss is the unplug, and the reopened node is read again', async () => {
    MockBinding.createPort('/dev/ttyMOCK3', { echo: false, record: true });
    const f = factory();
    const calls: string[] = [];
    let feed: ((chunk: Buffer) => void) | null = null;
    let lose: ((err: Error) => void) | null = null;
    const reader = {
      read(path: string, onData: (chunk: Buffer) => void, onLost: (err: Error) => void) {
        calls.push(`read ${path}`);
        feed = onData;
        lose = onLost;
      },
      end: (reason: string) => void calls.push(`end ${reason}`),
      stop: () => void calls.push('stop'),
    };
    const src = await openSerialSource({ path: '/dev/ttyMOCK3', createPort: f.create, pathExists: () => true, pollMs: 20, reader });
    const statuses: SourceStatus[] = [];
    const got: string[] = [];
    await src.start({ data: (c) => got.push(Buffer.from(c).toString()), status: (s) => statuses.push(s) });
    expect(calls).toEqual(['read /dev/ttyMOCK3']);
    // What serialport would read never arrives: it is not read from.
    binding(f.ports[0]!).emitData('through serialport\r\n');
    feed!(Buffer.from('through the reader\r\n'));
    expect(got).toEqual(['through the reader\r\n']);

    lose!(new Error('the device hung up'));
    expect(statuses.map((s) => s.state)).toEqual(['open', 'reconnecting']);
    expect((statuses[1] as { detail: string }).detail).toContain('the device hung up');
    await poll('the port open again', () => statuses.length >= 3, { timeoutMs: 3000 });
    expect(statuses[2]!.state).toBe('open');
    expect(calls).toEqual(['read /dev/ttyMOCK3', 'stop', 'read /dev/ttyMOCK3']);
    feed!(Buffer.from('after replug\r\n'));
    expect(got.join('')).toBe('through the reader\r\nafter replug\r\n');
    await src.close();
    expect(calls.at(-1)).toBe('stop');
  });

  it('with reconnect off, a vanished device is an error status', async () => {
    MockBinding.createPort('/dev/ttyMOCK2', { echo: false });
    const f = factory();
    const src = await openSerialSource({ path: '/dev/ttyMOCK2', createPort: f.create, reconnect: false });
    const statuses: SourceStatus[] = [];
    await src.start({ data: () => undefined, status: (s) => statuses.push(s) });
    const b = binding(f.ports[0]!);
    b.read = () => Promise.reject(new Error('gone'));
    b.emitData('x');
    await poll('two statuses', () => statuses.length === 2, { timeoutMs: 3000 });
    expect(statuses[1]).toEqual({ state: 'error', detail: '/dev/ttyMOCK2: gone' });
    await src.close();
  });
});
