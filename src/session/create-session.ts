/**
 * The one way to build a session: the TUI, `--json`, `summarize`, the demo and the MCP server
 * all come through here, so a setting one command honours (the user's prefix profiles, the
 * mbedTLS version, redaction, the diagnosis, the broker) cannot be forgotten by another.
 */
import type { Profile } from '../../parsers/profiles/index.ts';
import type { FamilyParser } from '../../parsers/family.ts';
import type { SessionDiagnosis } from '../contracts/diagnosis.ts';
import type { SourceInfo } from '../contracts/snapshot.ts';
import { createDiagnosis } from '../diagnosis/create-diagnosis.ts';
import { connectBroker, type BrokerOptions } from '../io/broker.ts';
import { Session } from './session.ts';

export interface CreateSessionOptions {
  source: SourceInfo;
  /** --mbedtls; default: inferred from the file names in the debug lines. */
  mbedtls?: '2.28' | '3.6' | undefined;
  /** false only with --no-redact. */
  redact?: boolean | undefined;
  /** `redact.patterns` of the config file, on top of the built-in credential patterns. */
  redactPatterns?: readonly string[] | undefined;
  /** The user's prefix profiles followed by the built-in ones (src/cli/profiles.ts loads them). */
  profiles?: Profile[] | undefined;
  /** Default: every rule of src/diagnosis. null: no diagnosis (stage measurements, parser tests). */
  diagnosis?: SessionDiagnosis | null;
  /**
   * hsmon's own MQTT client (`--broker`, the demo): connected now; its messages and state become
   * session events (NDJSON `mqtt.message` with source broker, `broker.status`) and snapshot
   * facts. `now` stamps them (ms since session start); `session.close()` disconnects it.
   */
  broker?: BrokerOptions | null;
  /** Raw lines kept for the log pane. Default 5000. */
  logCapacity?: number;
  maxLineBytes?: number;
  mqttHistory?: number;
  /** Extra family parsers (tests, plug-ins). */
  parsers?: FamilyParser[];
}

export function createSession(opts: CreateSessionOptions): Session {
  const broker = opts.broker ?? null;
  return new Session({
    source: opts.source,
    ...(opts.mbedtls !== undefined ? { mbedtls: opts.mbedtls } : {}),
    redact: opts.redact ?? true,
    ...(opts.redactPatterns && opts.redactPatterns.length > 0 ? { redactPatterns: opts.redactPatterns } : {}),
    ...(opts.profiles ? { profiles: opts.profiles } : {}),
    ...(opts.logCapacity !== undefined ? { logCapacity: opts.logCapacity } : {}),
    ...(opts.maxLineBytes !== undefined ? { maxLineBytes: opts.maxLineBytes } : {}),
    ...(opts.mqttHistory !== undefined ? { mqttHistory: opts.mqttHistory } : {}),
    ...(opts.parsers ? { parsers: opts.parsers } : {}),
    diagnosis: opts.diagnosis === undefined ? createDiagnosis() : opts.diagnosis,
    broker: broker ? (handlers) => connectBroker(broker, handlers) : null,
    ...(broker?.now ? { now: broker.now } : {}),
  });
}
