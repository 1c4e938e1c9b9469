/**
 * Session-wide facts outside the handshake machines: certificates, keys, PSA calls, MQTT.
 * Bounded, like everything in the store.
 */
import type { DeviceEvent } from '../../parsers/events.ts';
import { createActor } from 'xstate';
import { connectionMachine, connectionText, toConnectionEvent } from '../../machines/connection.ts';
import { MqttTracker, droppedSummaryMessages, type BrokerMessage } from '../mqtt/summary.ts';
import type { MqttEntry } from '../mqtt/history.ts';
import { analyzePemEvent, deviceKeyFromPem, withKeyMatches, type DeviceKey, type PemAnalysis } from '../certs/certificate-summary.ts';
import { KeyTable } from '../certs/key-table.ts';
import { Ring } from '../util/ring.ts';
import type { PsaCallView } from '../contracts/snapshot.ts';
import type { CertificateSummary, Finding, KeySummary, MqttSummary } from '../contracts/summary.ts';

/** Certificates, CSRs and exported keys kept per session: a device prints a handful. */
const MAX_CERTS = 50;
/** PSA calls kept for the PSA pane and the diagnosis: the newest. */
const MAX_PSA_CALLS = 500;
/** Guessed prefixes with a finding each. */
const MAX_GUESSED_PREFIXES = 50;

/**
 * Event kinds the connection machine has a transition of its own for. Every other event only
 * moves the machine's clock (its `*` transition sets lastT/lastLine), so of a run of those only
 * the last needs sending, just before the next handled event or a read: xstate costs
 * microseconds per event, and a debug-4 log makes thousands of events per megabyte.
 */
const CONNECTION_EVENTS: ReadonlySet<string> = new Set(connectionMachine.root.events.filter((t) => t !== '*'));

export interface FactsOptions {
  mqttHistory?: number | undefined;
  onChange: () => void;
}

export class SessionFacts {
  private readonly psa = new Ring<PsaCallView>(MAX_PSA_CALLS);
  private readonly pending = new Set<Promise<unknown>>();
  private readonly mqttTracker: MqttTracker;
  private readonly connection = createActor(connectionMachine).start();
  /** The latest event only the connection machine's `*` transition takes, not sent yet. */
  private clockOnly: DeviceEvent | null = null;
  /** One analysis per distinct block (and device clock): a device prints the same certificate every attempt. */
  private readonly analyses = new Map<string, Promise<PemAnalysis | null>>();

  constructor(private readonly opts: FactsOptions) {
    this.mqttTracker = new MqttTracker(opts.mqttHistory ? { limit: opts.mqttHistory } : {});
  }

  private readonly keyTable = new KeyTable();
  private droppedCerts = 0;
  private droppedPrefixes = 0;

  /** What each capped store left out so far (issue 15: every store is bounded and says so). */
  dropped(): Record<string, number> {
    return {
      keys: this.keyTable.dropped,
      psaCalls: this.psa.pushed - this.psa.length,
      certificates: this.droppedCerts,
      mqttMessages: droppedSummaryMessages(this.mqttTracker),
      mqttSubscriptions: this.mqttTracker.droppedSubscriptions,
      prefixes: this.droppedPrefixes,
    };
  }
  private readonly certs: CertificateSummary[] = [];
  private readonly deviceKeys: DeviceKey[] = [];
  private readonly pemFindings: Finding[] = [];
  /** The device's clock when it printed one: certificate validity is judged against it. */
  private deviceNow: Date | null = null;

  feed(e: DeviceEvent): void {
    switch (e.kind) {
      case 'psa.call':
        this.psa.push({ fn: e.fn, status: e.status, name: e.name, line: e.line, t: e.t });
        break;
      case 'device.clock': {
        const d = new Date(e.iso);
        if (!Number.isNaN(d.getTime())) this.deviceNow = d;
        break;
      }
      case 'psa.pubkey':
        if (e.point && this.deviceKeys.length < MAX_CERTS) this.deviceKeys.push({ line: e.line, key: e.point });
        break;
      case 'cert.pem':
        this.pem(e);
        break;
      case 'device.prefix_guessed':
        this.guessedPrefix(e);
        break;
      default:
        break;
    }
    this.keyTable.add(e);
    this.mqttTracker.device(e);
    if (CONNECTION_EVENTS.has(e.kind)) {
      this.sendClockOnly();
      this.connection.send(toConnectionEvent(e));
    } else {
      this.clockOnly = e;
    }
  }

  private sendClockOnly(): void {
    const e = this.clockOnly;
    if (e === null) return;
    this.clockOnly = null;
    this.connection.send(toConnectionEvent(e));
  }

  /** A message the broker delivered to hsmon's own MQTT client. */
  brokerMessage(m: BrokerMessage): void {
    this.mqttTracker.broker(m);
    this.opts.onChange();
  }

  /** The device's life in one line: "MQTT: attempt 3 of 150, next in 2 s". */
  deviceStatus(): string {
    this.sendClockOnly();
    return connectionText(this.connection.getSnapshot());
  }

  mqttEntries(): MqttEntry[] {
    return this.mqttTracker.history.entries();
  }

  certificates(): CertificateSummary[] {
    return withKeyMatches(this.certs, this.deviceKeys);
  }

  keys(): KeySummary[] {
    return this.keyTable.list();
  }

  psaCalls(): PsaCallView[] {
    return this.psa.toArray();
  }

  mqtt(): MqttSummary {
    return this.mqttTracker.summary();
  }

  findings(): Finding[] {
    return this.pemFindings;
  }

  private pem(e: Extract<DeviceEvent, { kind: 'cert.pem' }>): void {
    if (!e.complete && !e.secret) {
      this.pemFinding(e.line, 'pem-incomplete', `A ${e.label} block printed by the device is ${e.reason ?? 'incomplete'}${e.detail ? ` (${e.detail})` : ''}: it cannot be read.`,
        'Check the UART for dropped bytes (baud rate, flow control, a buffer that overflows while printing) and print the block again.');
      return;
    }
    const key = deviceKeyFromPem(e);
    if (key && this.deviceKeys.length < MAX_CERTS) this.deviceKeys.push(key);
    if (this.certs.length >= MAX_CERTS) {
      this.droppedCerts++;
      return;
    }
    const job = this.analyze(e).then((r) => {
      if (!r) return;
      // Analyses started before the list filled up may end after it did.
      if (r.ok) {
        if (this.certs.length < MAX_CERTS) insertByLine(this.certs, r.summary);
        else this.droppedCerts++;
      } else this.pemFinding(r.line, 'pem-unreadable', `The ${r.label} block the device printed is not a valid ${r.label.toLowerCase()}: ${r.error}.`,
        'Print the DER from the same buffer the TLS stack uses (mbedtls_x509_crt_parse) and compare; a corrupted certificate on the UART usually means one in flash too.');
      this.opts.onChange();
    });
    this.pending.add(job);
    void job.finally(() => this.pending.delete(job));
  }

  /** analyzePemEvent, shared between identical blocks; the result is placed at this block's line. */
  private async analyze(e: Extract<DeviceEvent, { kind: 'cert.pem' }>): Promise<PemAnalysis | null> {
    const key = `${e.label}\n${this.deviceNow?.getTime() ?? ''}\n${e.body}`;
    let first = this.analyses.get(key);
    if (first === undefined) {
      if (this.analyses.size >= MAX_CERTS) this.analyses.clear();
      first = analyzePemEvent(e, this.deviceNow ? { deviceNow: this.deviceNow } : {});
      this.analyses.set(key, first);
    }
    const r = await first;
    if (r === null) return null;
    return r.ok ? { ok: true, summary: { ...r.summary, line: e.line } } : { ...r, line: e.line };
  }

  /** Lines hsmon read although no profile knew their prefix: one info finding per prefix, with its count. */
  private guessedPrefix(e: Extract<DeviceEvent, { kind: 'device.prefix_guessed' }>): void {
    const known = this.guesses.get(e.prefix);
    // One finding per distinct prefix: noise can make a new one on every line.
    if (!known && this.guesses.size >= MAX_GUESSED_PREFIXES) {
      this.droppedPrefixes++;
      return;
    }
    const first = known?.line ?? e.line;
    const lines = Math.max(known?.lines ?? 0, e.lines);
    this.guesses.set(e.prefix, { line: first, lines });
    const i = this.pemFindings.findIndex((f) => f.code === 'prefix-guessed' && f.message.includes(`'${e.prefix}'`));
    if (i >= 0) this.pemFindings.splice(i, 1);
    const shown = e.prefix === '' ? '(none)' : `'${e.prefix}'`;
    insertByLine(this.pemFindings, {
      code: 'prefix-guessed',
      severity: 'info',
      message: `${lines} line${lines === 1 ? '' : 's'} with a prefix no profile knows (${shown}, digits as N) were read as mbedTLS debug output: the \`file.c:LINE message\` shape was found after it.`,
      hint: 'If a fact looks wrong, describe the prefix in a profile (hsmon.json `profiles`, see parsers/profiles/README.md) so hsmon no longer has to guess.',
      line: first,
    });
  }

  private readonly guesses = new Map<string, { line: number; lines: number }>();

  private pemFinding(line: number, code: string, message: string, hint: string): void {
    if (this.pemFindings.length < MAX_CERTS) insertByLine(this.pemFindings, { code, severity: 'warning', message, hint, line });
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/**
 * Analyses end in whatever order the crypto finishes (identical blocks share one): kept in the
 * order the device printed them, so that a summary does not depend on timing.
 */
function insertByLine<T extends { line: number }>(list: T[], c: T): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.line > c.line) i--;
  list.splice(i, 0, c);
}
