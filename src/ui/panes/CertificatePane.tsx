import React from 'react';
import { Box, Text } from 'ink';
import { fit, lineNo } from '../format.ts';
import { useTheme } from '../components/ThemeContext.ts';
import { Waiting } from '../components/Waiting.tsx';
import { selectedHandshake, type PaneProps } from './pane-props.ts';

/** One certificate per block: what a person checks first (who, by whom, valid when, which key). */
export function CertificatePane({ snapshot, ui, width, height }: PaneProps): React.ReactElement {
  const theme = useTheme();
  const { h, index } = selectedHandshake(snapshot, ui);
  const peers = h?.peerCertificates ?? [];
  const certs = snapshot.certificates;
  if (certs.length === 0 && peers.length === 0) {
    return <Waiting title={'no certificate seen yet'} detail={'the device prints one as PEM after key generation; the server\'s arrives in the handshake (`peer certificate #1` at debug level 3)'} />;
  }
  const lines: { text: string; colour?: string | undefined; bold?: boolean; selected?: boolean }[] = [];
  const sel = ui.row.certificate ?? 0;
  certs.forEach((c, i) => {
    const what = c.kind === 'csr' ? 'CSR' : 'certificate';
    lines.push({ text: `${c.source === 'pem' ? 'device' : 'handshake'} ${what} · line ${lineNo(c.line)}${c.selfSigned ? ' · self-signed' : ''}`, bold: true, selected: i === sel });
    lines.push({ text: `  subject ${c.subject}` });
    lines.push({ text: `  issuer  ${c.issuer}` });
    if (c.notBefore || c.notAfter) {
      const clock = c.clock === 'device' ? 'device clock' : 'host clock';
      const state = c.expired ? `EXPIRED (${clock})` : c.notYetValid ? `NOT YET VALID (${clock})` : c.daysLeft !== undefined ? `${c.daysLeft} days left (${clock})` : '';
      lines.push({
        text: `  valid   ${c.notBefore.slice(0, 10)} … ${c.notAfter.slice(0, 10)}${state ? ` · ${state}` : ''}`,
        colour: c.expired || c.notYetValid ? theme.error : undefined,
      });
    }
    lines.push({ text: `  key     ${c.keyAlgorithm} · ${c.signatureAlgorithm}${c.kind === 'csr' && c.signatureValid !== undefined ? ` · signature ${c.signatureValid ? 'valid' : 'INVALID'}` : ''}` });
    for (const m of c.keyMatch ?? []) {
      const other = m.with === 'csr' ? `the CSR at line ${lineNo(m.line)}` : `the key the device exported at line ${lineNo(m.line)}`;
      lines.push(m.result === 'match'
        ? { text: `  ✓ same key as ${other}`, colour: theme.ok }
        : { text: `  ✗ NOT the key of ${other} (${m.reason})`, colour: theme.error });
    }
    for (const hint of c.hints ?? []) lines.push({ text: `  ${hint.broker === 'any' ? '' : `${hint.broker}: `}${hint.message}`, colour: hint.severity === 'info' ? theme.muted : theme.warning });
    if (c.sha256) lines.push({ text: `  sha256  ${c.sha256}`, colour: theme.muted });
  });
  if (peers.length > 0) {
    lines.push({ text: `server chain in handshake #${index + 1}`, bold: true });
    peers.forEach((p, i) => {
      lines.push({ text: `  #${i + 1} subject ${p.subject ?? '?'}` });
      lines.push({ text: `     issuer  ${p.issuer ?? '?'}` });
    });
  } else if (h) {
    lines.push({ text: `handshake #${index + 1}: no server certificate printed (debug level 3 shows it)`, colour: theme.muted });
  }
  // Keep the selected certificate's block in view.
  const selLine = Math.max(0, lines.findIndex((l) => l.selected));
  const start = Math.max(0, Math.min(selLine, lines.length - height));
  return (
    <Box flexDirection="column">
      {lines.slice(start, start + height).map((l, i) => (
        <Text key={`${start + i}`} color={l.colour} bold={l.bold} inverse={l.selected} wrap="truncate">{fit(l.text, width)}</Text>
      ))}
    </Box>
  );
}
