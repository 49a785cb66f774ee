/**
 * The image cache: `<book root>/.cache/samizdat/images/`, keyed by the source's content hash and the
 * options, so a rebuild with unchanged images does no sharp work. Writes are atomic (temp file, then
 * rename), so an interrupted build never leaves a half-written entry behind.
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

export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Counters of sharp work, so tests and the bench can prove that a warm build did none. */
export interface ImageStats {
  /** Variants encoded by sharp. */
  processed: number;
  /** Variants served from the cache. */
  cacheHits: number;
  /** Images whose metadata was read by sharp (cached probes do not count). */
  probed: number;
}

const stats: ImageStats = { processed: 0, cacheHits: 0, probed: 0 };

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
}
