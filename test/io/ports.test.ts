import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPorts, listPorts, scanPorts } from '../../src/io/ports.ts';

let root: string;
beforeEach(() => {
  // A miniature /dev + /sys: one FTDI adapter with a by-id link, one CDC-ACM board, a legacy ttyS0.
  root = mkdtempSync(join(tmpdir(), 'hsmon-ports-'));
  const usb = join(root, 'sys/devices/pci0000:00/usb1/1-2');
  mkdirSync(join(usb, '1-2:1.0/ttyUSB0'), { recursive: true });
  writeFileSync(join(usb, 'idVendor'), '0403\n');
  writeFileSync(join(usb, 'idProduct'), '6001\n');
  writeFileSync(join(usb, 'manufacturer'), 'FTDI\n');
  writeFileSync(join(usb, 'serial'), 'A10K3XYZ\n');
  mkdirSync(join(root, 'sys/class/tty/ttyUSB0'), { recursive: true });
  symlinkSync(join(usb, '1-2:1.0'), join(root, 'sys/class/tty/ttyUSB0/device'));
  mkdirSync(join(root, 'sys/devices/platform/serial8250/tty/ttyS0'), { recursive: true });
  mkdirSync(join(root, 'sys/class/tty/ttyS0'), { recursive: true });
  symlinkSync(join(root, 'sys/devices/platform/serial8250'), join(root, 'sys/class/tty/ttyS0/device'));
  mkdirSync(join(root, 'sys/class/tty/tty1'), { recursive: true }); // a virtual console: no device link
  mkdirSync(join(root, 'dev/serial/by-id'), { recursive: true });
  writeFileSync(join(root, 'dev/ttyUSB0'), '');
  writeFileSync(join(root, 'dev/ttyACM0'), '');
  symlinkSync('../../ttyUSB0', join(root, 'dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K3XYZ-if00-port0'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('scanPorts (no udevadm)', () => {
  it('lists USB serial devices with their by-id link and USB attributes, not consoles or legacy UARTs', () => {
    expect(scanPorts(root)).toEqual([
      { path: '/dev/ttyACM0', byId: null, manufacturer: null, serialNumber: null, vendorId: null, productId: null },
      {
        path: '/dev/ttyUSB0',
        byId: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K3XYZ-if00-port0',
        manufacturer: 'FTDI',
        serialNumber: 'A10K3XYZ',
        vendorId: '0403',
        productId: '6001',
      },
    ]);
  });

  it('listPorts with udev off uses the scan (and never crashes on a missing udevadm)', async () => {
    expect((await listPorts({ root, useUdev: false })).map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0']);
    await expect(listPorts()).resolves.toBeInstanceOf(Array);
  });
});

describe('formatPorts', () => {
  it('prints an aligned table', () => {
    const text = formatPorts(scanPorts(root));
    expect(text.split('\n')).toEqual([
      'PATH          VID:PID    MANUFACTURER  SERIAL    BY-ID',
      '/dev/ttyACM0  -          -             -         -',
      '/dev/ttyUSB0  0403:6001  FTDI          A10K3XYZ  /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10K3XYZ-if00-port0',
      '',
    ]);
  });
  it('says what to do when there is nothing', () => {
    expect(formatPorts([])).toMatch(/^no serial ports found .*hsmon sim --pty/);
  });
});
