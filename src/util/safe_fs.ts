/**
 * The one way samizdat reads a book folder. A book folder is untrusted input: a symbolic link in it may
 * point anywhere (`manuscript/02.md → /etc/passwd`, `images → ~/private`). Every reader resolves the
 * real path (fs.realpath, every link followed) and checks that it is still inside the book folder (or
 * inside samizdat's own package, for the built-in theme and fonts); a path that leaves is refused with
 * a sentence naming the file, never read. File-system errors become sentences too (fs_errors.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isInside, relPosix } from './paths.js';
import { describeFsError } from './fs_errors.js';
import { TOOL_ROOT } from './package_files.js';

/** samizdat's own package, whose files a book may use (fonts, theme). */
export const PACKAGE_ROOT = TOOL_ROOT;
const PACKAGE_REAL = realOr(PACKAGE_ROOT);

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** A file of the book that cannot be used: outside the folder (through a link), missing, unreadable. */
export class UnsafePathError extends Error {
  constructor(
    message: string,
    /** Diagnostic code: outside-project, or the file-system problem (missing, unreadable). */
    readonly code: string,
  ) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

/** The real path of a book folder (links resolved), so every later comparison is between real paths. */
export function realRoot(root: string): string {
  return realOr(path.resolve(root));
}

/**
 * The real path of `abs`, which must lie inside `root` (a real path, see realRoot) or inside samizdat's
 * package. Throws UnsafePathError when a link leads out of the book folder, or when the path cannot be
 * resolved (missing, permission denied…).
 */
export function resolveInside(root: string, abs: string): string {
  const shown = showPath(root, abs);
  if (!isInside(root, abs) && !isInside(PACKAGE_REAL, abs) && !isInside(PACKAGE_ROOT, abs)) {
    throw new UnsafePathError(`${shown} lies outside the book folder; copy it into the book folder`, 'outside-project');
  }
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (e) {
    throw new UnsafePathError(describeFsError(e, shown), fsCode(e));
  }
  if (isInside(root, real) || isInside(PACKAGE_REAL, real)) return real;
  throw new UnsafePathError(`${shown} leads through a symbolic link to ${real}, outside the book folder; samizdat reads only files inside the book folder (copy the file in instead of linking to it)`, 'outside-project');
}

const fsCode = (e: unknown) => ((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable');

/** How a path is named in messages: relative to the book folder when inside it. */
export function showPath(root: string, abs: string): string {
  return isInside(root, abs) ? relPosix(root, abs) || '.' : abs;
}

/** True when `abs` exists inside the book folder (following links that stay inside). Never throws for links that leave: use resolveInside to report them. */
export function existsInside(root: string, abs: string): boolean {
  try {
    resolveInside(root, abs);
    return true;
  } catch {
    return false;
  }
}

/** True when the path exists at all (even as a dangling or outside link): such paths must be reported, not skipped. */
export function pathExists(abs: string): boolean {
  try {
    fs.lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/** Reads a file of the book (bytes) after checking where it really is. */
export function readBookFile(root: string, abs: string): Buffer {
  const real = resolveInside(root, abs);
  try {
    const st = fs.statSync(real);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR', path: abs });
    if (!st.isFile()) throw new UnsafePathError(`${showPath(root, abs)} is not a regular file`, 'unreadable');
    return fs.readFileSync(real);
  } catch (e) {
    if (e instanceof UnsafePathError) throw e;
    throw new UnsafePathError(describeFsError(e, showPath(root, abs)), fsCode(e));
  }
}

/** Reads a UTF-8 text file of the book after checking where it really is. */
export function readBookText(root: string, abs: string): string {
  return readBookFile(root, abs).toString('utf8');
}

/** The entries of a folder of the book (after checking where the folder really is), sorted by name. */
export function listBookDir(root: string, abs: string): string[] {
  const real = resolveInside(root, abs);
  try {
    return fs.readdirSync(real).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (e) {
    throw new UnsafePathError(describeFsError(e, showPath(root, abs)), fsCode(e));
  }
}

/**
 * Reads a file that samizdat itself wrote (the image cache) only when it is a plain file, not a link,
 * inside `root`; anything else is treated as absent (the caller makes the entry again).
 */
export function readOwnFile(root: string, abs: string): Buffer | undefined {
  try {
    const st = fs.lstatSync(abs);
    if (!st.isFile()) return undefined;
    const real = fs.realpathSync(abs);
    if (!isInside(root, real)) return undefined;
    return fs.readFileSync(real);
  } catch {
    return undefined;
  }
}
