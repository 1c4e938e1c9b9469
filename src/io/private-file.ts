/**
 * A file only its owner may read (mode 0600), for outputs that hold secrets on purpose: the
 * NSS key log and a capture with a Decryption Secrets Block. Writes go straight to the kernel
 * (writeSync), so a live capture is on disk as records arrive and survives a crash of hsmon.
 */
import { closeSync, writeSync } from 'node:fs';
import { openPrivate } from '../record/private-files.ts';

export class PrivateFile {
  private fd: number | null;

  /** Creates or truncates `path` (0600, new or not; its folders 0700 when hsmon makes them). */
  constructor(readonly path: string) {
    try {
      this.fd = openPrivate(path, 'w');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
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
