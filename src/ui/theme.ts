/**
 * Colours by meaning, never by hex in a component. With NO_COLOR set (any non-empty value,
 * https://no-color.org) every colour is dropped; bold, dim and inverse still mark state.
 */
export interface Theme {
  ok: string | undefined;
  error: string | undefined;
  warning: string | undefined;
  info: string | undefined;
  current: string | undefined;
  muted: string | undefined;
  border: string | undefined;
  focusBorder: string | undefined;
  tx: string | undefined;
  accent: string | undefined;
}

const colour: Theme = {
  ok: 'green',
  error: 'red',
  warning: 'yellow',
  info: 'cyan',
  current: 'yellow',
  muted: 'gray',
  border: 'gray',
  focusBorder: 'cyan',
  tx: 'magenta',
  accent: 'blue',
};

const none: Theme = Object.fromEntries(Object.keys(colour).map((k) => [k, undefined])) as unknown as Theme;

export function makeTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  const noColor = env['NO_COLOR'];
  return noColor !== undefined && noColor !== '' ? none : colour;
}
