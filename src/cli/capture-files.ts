/**
 * `--pcapng OUT` and `--keylog KEYS` for `hsmon export` and `hsmon monitor`: a CaptureStage
 * fed the device's bytes just before the session is (so `tls.record` events can name their
 * packet), its output written to the files as it is made, and what the user must know about
 * those files said once on stderr.
 */
import type { Source } from '../io/source.ts';
import { PrivateFile } from '../io/private-file.ts';
import { CaptureStage } from '../export/capture.ts';
import { PacketAnnotator } from '../export/packet-annotator.ts';
import type { Parsed } from './args.ts';
import { UsageError } from './errors.ts';

/** The option the export prints when a record was zero-filled. */
export const IGNORE_MAC = '-o tls.ignore_ssl_mac_failed:TRUE';

export interface CaptureFileOptions {
  pcapng: string | undefined;
  keylog: string | undefined;
  /** --no-keys: a capture without its Decryption Secrets Block. */
  keys: boolean;
  startMs: number;
  profiles?: ConstructorParameters<typeof CaptureStage>[0]['profiles'];
  warn: (line: string) => void;
}

export function captureOptions(v: Parsed['values']): { pcapng: string | undefined; keylog: string | undefined; keys: boolean } {
  const pcapng = v['pcapng'] as string | undefined;
  const keylog = v['keylog'] as string | undefined;
  const keys = !v['no-keys'];
  if (keylog !== undefined && !keys) throw new UsageError('--keylog and --no-keys ask for opposite things: give one of them');
  if (pcapng !== undefined && pcapng === keylog) throw new UsageError('--pcapng and --keylog name the same file');
  return { pcapng, keylog, keys };
}

export class CaptureFiles {
  readonly stage: CaptureStage;
  private readonly pcapng: PrivateFile | null;
  private readonly keylog: PrivateFile | null;

  constructor(private readonly o: CaptureFileOptions) {
    this.stage = new CaptureStage({
      startMs: o.startMs, packets: o.pcapng !== undefined, keys: o.keys,
      ...(o.profiles ? { profiles: o.profiles } : {}),
    });
    try {
      this.pcapng = o.pcapng !== undefined ? new PrivateFile(o.pcapng) : null;
      this.keylog = o.keylog !== undefined ? new PrivateFile(o.keylog) : null;
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (this.pcapng && o.keys) o.warn(`hsmon: ${o.pcapng} will hold the TLS session keys the device printed (Decryption Secrets Block, mode 0600): whoever has the file can read the session. --no-keys leaves them out.`);
    if (this.keylog) o.warn(`hsmon: ${o.keylog} will hold the TLS session keys the device printed (NSS key log, mode 0600).`);
    this.write();
  }

  /** A source whose bytes reach the capture first, then the session (`clock`: the t the session gets). */
  tee(source: Source, clock: (t: number | undefined) => number, after: () => void): Source {
    return {
      name: source.name,
      start: (handlers) => source.start({
        ...handlers,
        data: (chunk, t) => {
          this.stage.push(chunk, clock(t));
          handlers.data(chunk, t);
          this.write();
          after();
        },
      }),
      write: (bytes) => source.write(bytes),
      ...(source.setSignals ? { setSignals: (s: { dtr?: boolean; rts?: boolean }) => source.setSignals!(s) } : {}),
      close: () => source.close(),
    };
  }

  /** NDJSON with `packet` on each `tls.record` the capture holds. */
  annotator<E extends { kind: string; line: number | null }>(write: (e: E) => void): PacketAnnotator<E> {
    return new PacketAnnotator<E>(this.stage, write);
  }

  /** End of input: the rest of the files, closed; what they hold, on stderr. Returns false when nothing asked for could be made. */
  finish(t: number, redactedRecording: boolean): boolean {
    this.stage.flush(t);
    this.write();
    this.pcapng?.close();
    this.keylog?.close();
    const s = this.stage;
    const k = s.keylog;
    let ok = true;
    if (this.pcapng) {
      if (s.records === 0) {
        this.o.warn(`hsmon: no TLS record was dumped (\`dumping 'output record sent to network'\`): a capture needs the device's mbedTLS debug level 4. ${this.o.pcapng} holds no packets${this.keylog ? '' : '; --keylog KEYS works from level 3'}.`);
        ok = false;
      } else {
        this.o.warn(`hsmon: wrote ${this.o.pcapng}: ${s.packets} packets, ${s.records} TLS records${this.o.keys ? `, ${k.lines.length} key log lines` : ''}.`);
      }
      if (s.truncated.length > 0) {
        const first = s.truncated[0]!;
        this.o.warn(`hsmon: ${s.truncatedCount} record(s) were longer than the 4096 bytes mbedTLS dumps (packet ${first.packet}: ${first.dumped} of ${first.length} bytes); the rest is zero-filled, so their MAC fails. Decrypt past them with: tshark ${IGNORE_MAC}${this.o.keys ? '' : ' -o tls.keylog_file:KEYS'} -r ${this.o.pcapng}`);
      }
      if (s.damaged > 0) this.o.warn(`hsmon: ${s.damaged} record(s) were not wholly in the log (lines lost on the way?): zero-filled, with a packet comment. Decrypt past them with: tshark ${IGNORE_MAC}${this.o.keys ? '' : ' -o tls.keylog_file:KEYS'} -r ${this.o.pcapng}`);
    }
    if (this.o.keys && (this.keylog || this.pcapng)) {
      if (redactedRecording || k.redacted > 0) {
        this.o.warn('hsmon: the secrets in this recording were redacted when it was recorded: it gives the capture, not the keys. Record with `hsmon monitor PORT --no-redact` to keep them (that recording then holds the keys: keep it private).');
        if (this.keylog) ok = false;
      } else if (k.lines.length === 0) {
        this.o.warn('hsmon: the log printed no session secrets: a key log needs mbedTLS debug level 3 (TLS 1.2 `master secret`) or 4 (TLS 1.3 traffic secrets).');
        if (this.keylog) ok = false;
      }
    }
    if (this.keylog) this.o.warn(`hsmon: wrote ${this.o.keylog}: ${k.lines.length} key log lines.`);
    return ok;
  }

  private write(): void {
    if (this.pcapng) {
      const bytes = this.stage.take();
      if (bytes.length > 0) this.pcapng.write(bytes);
    }
    if (this.keylog) {
      const lines = this.stage.takeKeylog();
      if (lines.length > 0) this.keylog.write(lines.map((l) => `${l}\n`).join(''));
    } else this.stage.takeKeylog();
  }
}
