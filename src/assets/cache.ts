/**
 * The image cache: `<book root>/.cache/samizdat/images/`, keyed by the source's content hash and the
 * options, so a rebuild with unchanged images does no sharp work. Writes are atomic (temp file, then
 * rename), so an interrupted build never leaves a half-written entry behind. The cache lives in the
 * book folder and is as untrusted as the rest of it: entries are read only when they are plain files
 * (never links), and a variant is used only when its bytes hash to what its record says (variants.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export function imageCacheDir(root: string): string {
  return path.join(root, '.cache', 'samizdat', 'images');
}

/** A stable hex key for anything JSON-serialisable. */
export function cacheKey(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Reads a cache file when it is a plain file (a symbolic link is treated as a missing entry). */
export function readCacheFile(file: string): Buffer | undefined {
  try {
    if (!fs.lstatSync(file).isFile()) return undefined;
    // O_NOFOLLOW: a link planted between the check and the read is not followed either.
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    try {
      return fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

export function readJson<T>(file: string): T | undefined {
  try {
    const data = readCacheFile(file);
    return data ? (JSON.parse(data.toString('utf8')) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Throws when the cache folder (or `.cache` above it) is a link out of the book folder: nothing is cached there. */
export function checkCacheDir(root: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const real = fs.realpathSync(dir);
  const rel = path.relative(fs.realpathSync(root), real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`the image cache ${path.relative(root, dir)} is a link to ${real}, outside the book folder; remove ${path.relative(root, dir).split(path.sep)[0]} and build again`);
  }
}

export function writeAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  // 'wx': never write through a link planted under the temporary name.
  fs.writeFileSync(tmp, data, { flag: 'wx' });
  fs.renameSync(tmp, file); // rename replaces a planted link itself, never its target
}

/** Counters of sharp work, so tests and the bench can prove that a warm build did none. */
export interface ImageStats {
  /** Variants encoded by sharp. */
  processed: number;
  /** Variants served from the cache. */
  cacheHits: number;
  /** Images whose metadata was read by sharp (cached probes do not count). */
  probed: number;
  /** Image files decoded to make variants (once per image for all the variants a build makes of it). */
  decoded: number;
}

const stats: ImageStats = { processed: 0, cacheHits: 0, probed: 0, decoded: 0 };

export function countImageWork(kind: keyof ImageStats): void {
  stats[kind]++;
}

export function imageStats(): ImageStats {
  return { ...stats };
}

export function resetImageStats(): void {
  stats.processed = 0;
  stats.cacheHits = 0;
  stats.probed = 0;
  stats.decoded = 0;
}
