/** File-system errors as sentences: what happened to which path, never a raw `ENOENT: …` line. */

const SENTENCES: Record<string, (p: string) => string> = {
  ENOENT: (p) => `${p} does not exist`,
  ENOTDIR: (p) => `${p} cannot be used: a part of its path is a file, not a folder`,
  EISDIR: (p) => `${p} is a folder where a file was expected`,
  EACCES: (p) => `${p} cannot be accessed: permission denied`,
  EPERM: (p) => `${p} cannot be accessed: operation not permitted`,
  ENAMETOOLONG: (p) => `${shorten(p)}: the file name is too long for the file system`,
  EEXIST: (p) => `${p} already exists`,
  ENOTEMPTY: (p) => `${p} is a folder that is not empty`,
  ELOOP: (p) => `${p} cannot be resolved: too many symbolic links (a link that points to itself?)`,
  ENOSPC: (p) => `no space left on the device while writing ${p}`,
  EDQUOT: (p) => `disk quota exceeded while writing ${p}`,
  EROFS: (p) => `${p} is on a read-only file system`,
  EMFILE: (p) => `too many open files while reading ${p}`,
  EBUSY: (p) => `${p} is busy (in use by another program)`,
  EXDEV: (p) => `${p} is on another file system and cannot be moved there`,
  EIO: (p) => `input/output error on ${p} (a failing disk or a network drive?)`,
};

/** Long paths (e.g. made from a 5,000-character title) are shortened in messages. */
function shorten(p: string): string {
  return p.length > 160 ? `${p.slice(0, 100)}…${p.slice(-40)}` : p;
}

/** True for Node's file-system errors (they carry a `code` such as ENOENT). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!);
}

/** A sentence for a file-system error about `shown` (or the path the error names). */
export function describeFsError(e: unknown, shown?: string): string {
  const err = e as NodeJS.ErrnoException;
  const p = shorten(shown ?? err.path ?? (err as { dest?: string }).dest ?? 'a file');
  const sentence = err.code ? SENTENCES[err.code] : undefined;
  if (sentence) return sentence(p);
  // Not a known code: keep the system's words but without the `ECODE: … 'path'` decoration.
  const msg = (err.message ?? String(e)).replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return `${p}: ${msg}`;
}
