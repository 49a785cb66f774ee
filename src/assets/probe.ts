/**
 * What the pipeline needs to know about a source image before deciding anything: its upright size,
 * colour space, depth, transparency, and whether it is a photo or a graphic (line art, screenshot,
 * few colours). Read once per content hash and kept in the cache, so a warm build calls no sharp at all.
 */
import path from 'node:path';
import type sharpType from 'sharp';
import { sharp } from './sharp.js';
import type { Asset } from '../model/types.js';
import { countImageWork, imageCacheDir, readJson, writeAtomic } from './cache.js';

/** Largest image accepted, in pixels (about 268 megapixels, 16383 × 16383). */
export const PIXEL_LIMIT = 0x3fff * 0x3fff;

/** Formats the pipeline reads (as sharp names them). */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'svg'] as const;

/** Bump when the probe's content or meaning changes, so stale cache entries are ignored. */
const PROBE_VERSION = 1;

export interface ImageProbe {
  version: number;
  format: string;
  /** Upright size, after the EXIF orientation is applied. */
  width: number;
  height: number;
  orientation: number;
  space: string;
  channels: number;
  depth: string;
  /** Has an alpha channel that is actually used (some pixel is not opaque). */
  transparent: boolean;
  /** Line art, a screenshot or few colours: better kept lossless (PNG) than as JPEG. */
  graphic: boolean;
  /** Distinct colours in a nearest-neighbour sample (0 when not counted, e.g. for JPEG photos). */
  colours: number;
  hasProfile: boolean;
  hasExif: boolean;
}

export class ProbeError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function sharpInput(file: string): sharpType.Sharp {
  return sharp()(file, { limitInputPixels: PIXEL_LIMIT, failOn: 'error', pages: 1 });
}

/**
 * Reads the probe from the cache, or from the file with sharp (metadata, plus a small sample for graphics).
 * `writeCache: false` (samizdat check) reads the cache but never writes to the book folder.
 */
export async function probeImage(asset: Asset, root: string, { writeCache = true } = {}): Promise<ImageProbe> {
  const cached = path.join(imageCacheDir(root), 'probe', `${asset.sha256}.json`);
  const hit = readJson<ImageProbe>(cached);
  if (hit?.version === PROBE_VERSION) return hit;
  countImageWork('probed');
  const probe = await readProbe(asset.path);
  if (writeCache) writeAtomic(cached, JSON.stringify(probe));
  return probe;
}

async function readProbe(file: string): Promise<ImageProbe> {
  let meta: sharpType.Metadata;
  try {
    meta = await sharp()(file, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ProbeError(`cannot be decoded (${cleanSharpMessage(e)}); is the file corrupt or truncated?`, 'corrupt-image');
  }
  const format = String(meta.format ?? 'unknown');
  if (!(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
    throw new ProbeError(`is in ${format.toUpperCase()} format, which samizdat does not read; supported: ${SUPPORTED_FORMATS.join(', ')}`, 'unsupported-image');
  }
  const rawW = meta.width ?? 0;
  const rawH = meta.height ?? 0;
  if (!rawW || !rawH) throw new ProbeError('has no width or height; is the file corrupt?', 'corrupt-image');
  if (rawW * rawH > PIXEL_LIMIT) {
    const mp = ((rawW * rawH) / 1e6).toFixed(0);
    throw new ProbeError(
      `is ${rawW} × ${rawH} pixels (${mp} megapixels), more than the ${Math.floor(PIXEL_LIMIT / 1e6)} megapixels samizdat handles; scale it down first (300 ppi at the printed size is plenty)`,
      'image-too-large',
    );
  }
  const orientation = meta.orientation ?? 1;
  const swap = orientation >= 5 && orientation <= 8;
  const probe: ImageProbe = {
    version: PROBE_VERSION,
    format,
    width: swap ? rawH : rawW,
    height: swap ? rawW : rawH,
    orientation,
    space: String(meta.space ?? 'srgb'),
    channels: meta.channels ?? 3,
    depth: String(meta.depth ?? 'uchar'),
    transparent: false,
    graphic: false,
    colours: 0,
    hasProfile: !!meta.icc,
    hasExif: !!meta.exif,
  };
  // JPEGs are photos by construction; SVG is passed through as vectors. Everything else is sampled.
  if (format !== 'jpeg' && format !== 'svg') await sample(file, probe, !!meta.hasAlpha);
  // A truncated JPEG has whole metadata: decode it (shrunk on load, cheap) so it fails here, not in the build.
  if (format === 'jpeg') await decodes(file);
  return probe;
}

async function decodes(file: string): Promise<void> {
  try {
    await sharpInput(file).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    throw new ProbeError(`cannot be decoded (${cleanSharpMessage(e)}); is the file corrupt or truncated?`, 'corrupt-image');
  }
}

/** Counts colours and looks for transparency in a nearest-neighbour sample of at most 512 × 512. */
async function sample(file: string, probe: ImageProbe, hasAlpha: boolean): Promise<void> {
  let data: Buffer;
  try {
    data = await sharpInput(file)
      .resize(512, 512, { fit: 'inside', kernel: 'nearest', withoutEnlargement: true })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw()
      .toBuffer();
  } catch (e) {
    throw new ProbeError(`cannot be decoded (${cleanSharpMessage(e)}); is the file corrupt or truncated?`, 'corrupt-image');
  }
  const counts = new Map<number, number>();
  let transparent = false;
  const px = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3]! < 255) transparent = true;
    const c = data.readUInt32LE(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const top = [...counts.values()].sort((a, b) => b - a).slice(0, 32).reduce((s, n) => s + n, 0);
  probe.transparent = hasAlpha && transparent;
  probe.colours = counts.size;
  // Few colours, or a few flat colours covering most of the picture (screenshots, diagrams, scans of line art).
  probe.graphic = counts.size <= 256 || top / px >= 0.8;
}

export function cleanSharpMessage(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .replace(/^Input (file|buffer) /, '')
    .replace(/^Error: /, '')
    .trim();
}
