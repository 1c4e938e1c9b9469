/**
 * The handshake statechart as Mermaid text (`hsmon chart`), drawn from the same graphs the
 * machine is built from (client-steps.ts), so the README's picture cannot drift from the code.
 */
import { GRAPHS, type Region } from './client-steps.ts';

const TITLE: Record<Region, string> = {
  hello: 'Before the ServerHello (TLS 1.2 and 1.3)',
  tls12: 'TLS 1.2 (ssl_tls12_client.c; 2.28 ssl_cli.c)',
  tls13: 'TLS 1.3 (ssl_tls13_client.c)',
};

const id = (r: Region, step: string) => `${r}_${step}`;

/** Mermaid stateDiagram-v2 of the client step graphs; `tls` limits it to one version. */
export function handshakeChart(tls?: '1.2' | '1.3'): string {
  const regions: Region[] = tls === '1.2' ? ['hello', 'tls12'] : tls === '1.3' ? ['hello', 'tls13'] : ['hello', 'tls12', 'tls13'];
  const out = ['stateDiagram-v2'];
  for (const r of regions) {
    out.push(`    state "${TITLE[r]}" as ${r} {`);
    for (const step of Object.keys(GRAPHS[r])) out.push(`        ${id(r, step)} : ${step}`);
    out.push('    }');
  }
  out.push(`    [*] --> ${id('hello', 'HELLO_REQUEST')}`);
  for (const r of regions) {
    for (const [step, edges] of Object.entries(GRAPHS[r])) {
      for (const e of edges) {
        if (!regions.includes(e.region)) continue;
        out.push(`    ${id(r, step)} --> ${id(e.region, e.to)}${e.label ? ` : ${e.label}` : ''}`);
      }
    }
  }
  for (const r of regions) if (r !== 'hello') out.push(`    ${id(r, 'HANDSHAKE_WRAPUP')} --> [*] : HANDSHAKE_OVER`);
  if (regions.includes('tls13')) {
    out.push(`    note right of ${id('tls13', 'TLS1_3_NEW_SESSION_TICKET')} : after the handshake, when mbedtls_ssl_read() meets a ticket`);
  }
  return out.join('\n') + '\n';
}
