/** Why a file could not be read, in the words hsmon's one-line errors use. */
export function fileErrorReason(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    default: return err instanceof Error ? err.message : String(err);
  }
}
