// Whether dist/ (scripts/build.js) may run in place of the sources: it must exist, and in a
// checkout no source it was made from may have changed since (an edit, a checkout, a deleted
// file). About a hundred stat calls, well under a millisecond; HSMON_FROM_SOURCE=1 always
// answers no. An installed package ships dist/ and no sources: there the build is all there is.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The build's record of when it was made and from which files (project-relative paths). */
export const BUILD_INFO = 'build-info.json';

/**
 * The build folder when it is fresh, else null. `root` is the project folder; `dist` the build
 * folder in it.
 */
export function freshBuild(root, dist = join(root, 'dist')) {
  if (process.env.HSMON_FROM_SOURCE) return null;
  let info;
  try {
    info = JSON.parse(readFileSync(join(dist, BUILD_INFO), 'utf8'));
  } catch {
    return null;
  }
  if (typeof info?.builtAt !== 'number' || !Array.isArray(info.inputs) || info.inputs.length === 0) return null;
  if (!isCheckout(root)) return dist;
  for (const rel of info.inputs) {
    // throwIfNoEntry: a deleted source answers undefined instead of throwing.
    const st = statSync(join(root, rel), { throwIfNoEntry: false });
    if (!st || st.mtimeMs > info.builtAt) return null;
  }
  return dist;
}

/** A clone of the repository (sources beside the build), not a package installed from a tarball. */
export function isCheckout(root) {
  return existsSync(join(root, 'src', 'cli.ts'));
}

/**
 * The module that runs the sources (scripts/sources.js, through tsx) when there is no fresh
 * build: only a checkout has it. An installed package without its build says so in one line
 * and exits 2 (it never refers to tsx, a development tool).
 */
export function sourcesRunner(root) {
  if (!isCheckout(root)) {
    process.stderr.write(`hsmon: no build in ${join(root, 'dist')} and no tsx to run the sources: reinstall hsmon: its package must ship dist/\n`);
    process.exit(2);
  }
  return pathToFileURL(join(root, 'scripts', 'sources.js')).href;
}
