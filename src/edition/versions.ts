/** Versions of samizdat and the engines it builds with, read from the installed packages. */
import { packageVersion } from '../util/package_files.js';

const ENGINES = ['markdown-it', 'pagedjs', 'puppeteer-core', 'epub-gen-memory', 'sharp', 'pdf-lib', 'hyphen'];

let cached: Record<string, string> | undefined;

export function toolVersions(): Record<string, string> {
  cached ??= {
    samizdat: packageVersion('samizdat'),
    node: process.versions.node,
    ...Object.fromEntries(ENGINES.map((e) => [e, packageVersion(e)])),
  };
  return { ...cached };
}
