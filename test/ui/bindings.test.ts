import { describe, expect, it } from 'vitest';
import { activeBindings, BINDINGS, deviceBindings, keyName, resolve } from '../../src/ui/keys/bindings.ts';
import { helpLines } from '../../src/ui/components/HelpOverlay.tsx';

const ctx = { focus: 'handshake' as const, replay: true, device: false };

describe('key bindings table', () => {
  it('has the keys the issue asks for', () => {
    const act = (k: string, c = ctx) => resolve(BINDINGS, k, c)?.action;
    expect(act('?')).toBe('help');
    expect(act('tab')).toBe('focus-next');
    expect(['1', '2', '3', '4', '5', '6', '7'].map((k) => act(k))).toEqual(['focus-1', 'focus-2', 'focus-3', 'focus-4', 'focus-5', 'focus-6', 'focus-7']);
    expect(act('q')).toBe('quit');
    expect(act('ctrl+c')).toBe('quit');
    expect(act(' ')).toBe('pause');
    expect(act('left')).toBe('step-back');
    expect(act('right')).toBe('step-forward');
    expect(act('+')).toBe('faster');
    expect(act('-')).toBe('slower');
    expect(act('n')).toBe('next-handshake');
    expect(act('N')).toBe('prev-handshake');
    expect(act('g')).toBe('first');
    expect(act('G')).toBe('last');
  });

  it('gives the focused pane precedence, and replay keys only in replay', () => {
    expect(resolve(BINDINGS, 'n', { ...ctx, focus: 'log' })?.action).toBe('search-next');
    expect(resolve(BINDINGS, '/', { ...ctx, focus: 'log' })?.action).toBe('filter');
    expect(resolve(BINDINGS, '/', ctx)).toBeNull();
    expect(resolve(BINDINGS, ' ', { ...ctx, replay: false })).toBeNull();
  });

  it('binds device commands from their definitions and refuses keys already taken', () => {
    const { bindings, refused } = deviceBindings([
      { id: 'retry-connect', key: 'r', label: 'run the connection again' },
      { id: 'reset', key: 'R', label: 'reset the board', confirm: 'reset the board?' },
      { id: 'clash', key: 'q', label: 'would shadow quit' },
    ]);
    expect(bindings.map((b) => [b.keys[0], b.action])).toEqual([['r', 'device:retry-connect'], ['R', 'device:reset']]);
    expect(bindings[1]!.confirm).toBe('reset the board?');
    expect(refused).toEqual(["clash: key 'q' is already bound in the monitor"]);
    const table = [...BINDINGS, ...bindings];
    expect(resolve(table, 'r', { ...ctx, device: true })?.action).toBe('device:retry-connect');
    expect(resolve(table, 'r', ctx)).toBeNull();
  });

  it('names keys from ink key flags', () => {
    expect(keyName('', { tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('c', { ctrl: true })).toBe('ctrl+c');
    expect(keyName('', { leftArrow: true })).toBe('left');
    expect(keyName('G', {})).toBe('G');
  });

  it('the help lists every binding in force, and the status bar keys come from the same table', () => {
    const text = helpLines(BINDINGS, true, false).map((l) => l.text).join('\n');
    for (const b of BINDINGS.filter((x) => x.scope !== 'device' && x.mode !== 'raw' && x.mode !== 'presets' && x.unless !== 'replay')) expect(text).toContain(b.label);
    expect(text).not.toContain('send next key raw');
    const bar = activeBindings(BINDINGS, { ...ctx, focus: 'log' });
    expect(bar[0]!.scope).toBe('log');
    // n in the log pane is search, so "next handshake" is not offered there
    expect(bar.find((b) => b.action === 'next-handshake')).toBeUndefined();
  });
});
