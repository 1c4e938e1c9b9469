import { accessSync, constants, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SerialPort } from 'serialport';

export interface PortEntry {
  path: string;
  /** Stable /dev/serial/by-id link: survives replugging into another USB socket. */
  byId: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
}

export interface ListPortsOptions {
  /** Test seam: root under which /dev and /sys are looked up (default "/"). */
  root?: string;
  /** Test seam: whether to try serialport's udev-based listing (default: when udevadm is on PATH). */
  useUdev?: boolean;
}

function onPath(cmd: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

function readTrim(file: string): string | null {
  try {
    const v = readFileSync(file, 'utf8').trim();
    return v === '' ? null : v;
  } catch {
    return null;
  }
}

function byIdMap(root: string): Map<string, string> {
  const map = new Map<string, string>();
  const dir = join(root, 'dev/serial/by-id');
  try {
    for (const name of readdirSync(dir)) {
      try {
        map.set(realpathSync(join(dir, name)), join('/dev/serial/by-id', name));
      } catch {
        // dangling link
      }
    }
  } catch {
    // no USB serial devices
  }
  return map;
}

/** USB attributes live in an ancestor of the tty's device folder; walk up until one has idVendor. */
function usbAttributes(root: string, name: string): Pick<PortEntry, 'manufacturer' | 'serialNumber' | 'vendorId' | 'productId'> {
  const none = { manufacturer: null, serialNumber: null, vendorId: null, productId: null };
  let dir: string;
  try {
    dir = realpathSync(join(root, 'sys/class/tty', name, 'device'));
  } catch {
    return none;
  }
  for (let i = 0; i < 6 && dir.length > 1; i++) {
    if (existsSync(join(dir, 'idVendor'))) {
      return {
        manufacturer: readTrim(join(dir, 'manufacturer')),
        serialNumber: readTrim(join(dir, 'serial')),
        vendorId: readTrim(join(dir, 'idVendor')),
        productId: readTrim(join(dir, 'idProduct')),
      };
    }
    dir = join(dir, '..');
  }
  return none;
}

/** Ports found without udev: /sys/class/tty entries backed by a device, plus ttyUSB/ttyACM nodes. */
export function scanPorts(root = '/'): PortEntry[] {
  const byId = byIdMap(root);
  const names = new Set<string>();
  try {
    for (const name of readdirSync(join(root, 'sys/class/tty'))) {
      // Legacy 8250 UARTs (ttyS0..31) are listed whether or not hardware exists behind them.
      if (/^ttyS\d+$/.test(name) && !byId.has(`/dev/${name}`)) continue;
      if (existsSync(join(root, 'sys/class/tty', name, 'device'))) names.add(name);
    }
  } catch {
    // no sysfs (containers)
  }
  try {
    for (const name of readdirSync(join(root, 'dev'))) {
      if (/^tty(USB|ACM)\d+$/.test(name)) names.add(name);
    }
  } catch {
    // no /dev
  }
  for (const target of byId.keys()) {
    const name = target.replace(/^.*\//, '');
    if (name) names.add(name);
  }
  return [...names]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name) => {
      const path = `/dev/${name}`;
      const link = [...byId.entries()].find(([t]) => t === path || t.endsWith(`/dev/${name}`))?.[1] ?? null;
      return { path, byId: link, ...usbAttributes(root, name) };
    });
}

/**
 * Serial ports with their stable by-id paths. serialport's listing shells out to udevadm and,
 * when udevadm is missing, the spawn error escapes as an uncaught exception that kills the
 * process; so it is used only when udevadm is on PATH, and /sys is scanned otherwise.
 */
export async function listPorts(options: ListPortsOptions = {}): Promise<PortEntry[]> {
  const root = options.root ?? '/';
  const useUdev = options.useUdev ?? (root === '/' && onPath('udevadm'));
  if (useUdev) {
    try {
      const byId = byIdMap(root);
      const list = await SerialPort.list();
      return list.map((p) => ({
        path: p.path,
        byId: byId.get(p.path) ?? (p.pnpId ? `/dev/serial/by-id/${p.pnpId}` : null),
        manufacturer: p.manufacturer ?? null,
        serialNumber: p.serialNumber ?? null,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
      }));
    } catch {
      // fall through to the scan
    }
  }
  return scanPorts(root);
}

/** Text table for `hsmon ports`; a friendly line when there is nothing to show. */
export function formatPorts(list: readonly PortEntry[]): string {
  if (list.length === 0) {
    return 'no serial ports found (is the board plugged in? `hsmon sim --pty` makes a simulated one)\n';
  }
  const rows = list.map((p) => [
    p.path,
    p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : '-',
    p.manufacturer ?? '-',
    p.serialNumber ?? '-',
    p.byId ?? '-',
  ]);
  const header = ['PATH', 'VID:PID', 'MANUFACTURER', 'SERIAL', 'BY-ID'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt)].join('\n') + '\n';
}
