/** Versions of samizdat and the engines it builds with, read from the installed packages. */
import fs from 'node:fs';
import path from 'node:path';
import { TOOL_ROOT } from '../styles.js';

const ENGINES = ['markdown-it', 'pagedjs', 'puppeteer-core', 'epub-gen-memory', 'sharp', 'pdf-lib', 'hyphen'];

function versionOf(dir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

let cached: Record<string, string> | undefined;

export function toolVersions(): Record<string, string> {
  cached ??= {
    samizdat: versionOf(TOOL_ROOT),
    node: process.versions.node,
    ...Object.fromEntries(ENGINES.map((e) => [e, versionOf(path.join(TOOL_ROOT, 'node_modules', e))])),
  };
  return { ...cached };
}
