/**
 * Files that ship beside the code (recordings/, bin/, assets), found from the package folder:
 * hsmon runs either from its sources (src/…) or from the bundle in dist/ (scripts/build.js), and
 * a path relative to the running module would differ between the two.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`hsmon: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return (root = dir);
}

/** A path inside the hsmon package, e.g. packagePath('recordings', 'x.log'). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** The text of a file that ships with hsmon (a recording, a simulator asset). */
export function readPackageText(...parts: string[]): string {
  return readFileSync(packagePath(...parts), 'utf8');
}

/** The version in hsmon's package.json (`hsmon --version`). */
export function packageVersion(): string {
  return (JSON.parse(readPackageText('package.json')) as { version: string }).version;
}
