/**
 * A file only its owner may read (mode 0600), for outputs that hold secrets on purpose: the
 * NSS key log and a capture with a Decryption Secrets Block. Writes go straight to the kernel
 * (writeSync), so a live capture is on disk as records arrive and survives a crash of hsmon.
 */
import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';

export class PrivateFile {
  private fd: number | null;

  /** Creates or truncates `path`; an existing file gets `mode` too (by default 0600). */
  constructor(readonly path: string, mode = 0o600) {
    try {
      this.fd = openSync(path, 'w', mode);
      fchmodSync(this.fd, mode);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
      throw new Error(`cannot write ${path}: ${why}`);
    }
  }

  write(data: Uint8Array | string): void {
    if (this.fd === null) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let o = 0;
    while (o < bytes.length) o += writeSync(this.fd, bytes, o, bytes.length - o);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
