/**
 * Files samizdat reads at run time, found wherever it is installed: its own files (styles/, the init
 * template) relative to this module (src/util/ when run from source, lib/util/ when compiled), and its
 * dependencies' files through Node's module resolution — never by a path under node_modules, which
 * npm's hoisting moves (a dependency of a global install, of a project, of npx).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

function readName(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** The folder of the package `name` (its package.json), from the place `entry` resolved to. */
function rootAbove(entry: string, name: string): string {
  for (let dir = path.dirname(entry); ; dir = path.dirname(dir)) {
    if (readName(dir) === name) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the folder of the package ${name} above ${entry}`);
  }
}

/** samizdat's own package folder (bin/, lib/, styles/, templates/). */
export const TOOL_ROOT = rootAbove(fileURLToPath(import.meta.url), 'samizdat');

const dirs = new Map<string, string>();

/** The installed folder of the dependency `name`, as Node resolves it from samizdat. */
export function packageDir(name: string): string {
  let dir = dirs.get(name);
  if (dir) return dir;
  try {
    dir = path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    // The package's "exports" do not list package.json (pagedjs): start from its main entry.
    dir = rootAbove(require.resolve(name), name);
  }
  dirs.set(name, dir);
  return dir;
}

/** A file inside the installed dependency `name`. */
export const packageFile = (name: string, rel: string): string => path.join(packageDir(name), rel);

/** The installed version of `name` (samizdat itself for 'samizdat'), or 'unknown'. */
export function packageVersion(name: string): string {
  try {
    const dir = name === 'samizdat' ? TOOL_ROOT : packageDir(name);
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
