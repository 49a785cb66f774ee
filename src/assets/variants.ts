/**
 * Making one variant of one image: upright (EXIF orientation applied), metadata stripped, sRGB 8-bit
 * (or true one-channel gray for photocopies), no larger than the spec allows, JPEG for photos and PNG
 * for graphics and transparency. Results are cached by content hash + spec.
 */
import crypto from 'node:crypto';
import { sharp } from './sharp.js';
import path from 'node:path';
import type { Asset } from '../model/types.js';
import { checkCacheDir, cacheKey, countImageWork, imageCacheDir, readCacheFile, readJson, writeAtomic } from './cache.js';
import { readBookFile } from '../util/safe_fs.js';
import { MAX_FILE_SLUG } from '../util/slug.js';

const sha256 = (data: Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');
import { cleanSharpMessage, ProbeError, sharpInput, type ImageProbe } from './probe.js';
import { cleanSvg, SVG_CLEAN_VERSION } from './svg.js';

/** Bump when the pipeline's output changes, so cached variants are made again. */
const PIPELINE_VERSION = 3;

export interface VariantSpec {
  /** Largest size in pixels; never upscaled. */
  maxWidth: number;
  maxHeight: number;
  /** JPEG quality. */
  quality: number;
  progressive: boolean;
  /** Photocopy mode: one gray channel, contrast stretched. */
  gray: boolean;
}

export interface MadeVariant {
  /** Absolute path of the file in the cache: targets copy it, never move it. */
  file: string;
  /** Stable file name for the output (never random): `<stem>-<8 hex of content hash + options>.<ext>`. */
  name: string;
  mediaType: string;
  /** Pixel size of the variant (upright), for width/height attributes. */
  width: number;
  height: number;
  /** Size of the file in bytes. */
  bytes: number;
  /** 1 for gray, 2 gray + alpha, 3 sRGB, 4 sRGB + alpha. */
  channels: number;
}

/** Stable output name: `<stem>-<first 8 hex of the content hash + spec>.<ext>`. */
function variantName(asset: Asset, key: string, ext: string): string {
  const stem =
    path
      .basename(asset.relPath, path.extname(asset.relPath))
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, MAX_FILE_SLUG)
      .replace(/-$/, '') || 'image';
  return `${stem}-${key.slice(0, 8)}.${ext}`;
}

/**
 * SVG stays vector; transparency and graphics stay lossless PNG; photos become JPEG. In photocopy mode
 * every raster image becomes a one-channel gray JPEG: Chromium embeds PNGs as RGB whatever they hold,
 * and the paper is white anyway.
 */
function outputFormat(probe: ImageProbe, spec: VariantSpec): 'svg' | 'png' | 'jpeg' {
  if (probe.format === 'svg') return 'svg';
  if (spec.gray) return 'jpeg';
  return probe.transparent || probe.graphic ? 'png' : 'jpeg';
}

interface Planned {
  spec: VariantSpec;
  format: 'svg' | 'png' | 'jpeg';
  file: string;
  info: string;
  name: string;
}

function plan(asset: Asset, probe: ImageProbe, spec: VariantSpec, root: string): Planned {
  const format = outputFormat(probe, spec);
  const ext = format === 'jpeg' ? 'jpg' : format;
  const key = cacheKey({ v: PIPELINE_VERSION, sha256: asset.sha256, format, spec: format === 'svg' ? { clean: SVG_CLEAN_VERSION } : spec });
  const dir = path.join(imageCacheDir(root), 'variants');
  checkCacheDir(root, dir);
  return { spec, format, file: path.join(dir, `${key}.${ext}`), info: path.join(dir, `${key}.json`), name: variantName(asset, key, ext) };
}

/**
 * A hit only when the file is a plain file whose bytes hash to what the record says: an entry
 * planted or damaged by hand (a link to /etc/passwd, other bytes) is made again, never shipped.
 */
function cached(p: Planned): MadeVariant | undefined {
  const known = readJson<Omit<MadeVariant, 'file' | 'name'> & { sha256?: string }>(p.info);
  if (!known?.sha256) return undefined;
  const bytes = readCacheFile(p.file);
  if (!bytes || bytes.length !== known.bytes || sha256(bytes) !== known.sha256) return undefined;
  countImageWork('cacheHits');
  const { sha256: _hash, ...rest } = known;
  return { ...rest, file: p.file, name: p.name };
}

function store(p: Planned, made: Encoded): MadeVariant {
  writeAtomic(p.file, made.data);
  const { data, ...rest } = made;
  writeAtomic(p.info, JSON.stringify({ ...rest, sha256: sha256(data) }));
  return { ...rest, file: p.file, name: p.name };
}

export async function makeVariant(asset: Asset, probe: ImageProbe, spec: VariantSpec, root: string): Promise<MadeVariant> {
  const out: MadeVariant[] = [];
  const rest = await makeVariants(asset, probe, [spec], root, (_, m) => out.push(m));
  await rest?.();
  return out[0]!;
}

/**
 * The variants of one image for several specs (one per target, the most urgent first), each from the
 * cache or made. The file is decoded once: when two or more raster variants are missing, it is
 * decoded, turned upright and scaled once to the largest box they need (8-bit sRGB, alpha kept), and
 * every variant is scaled down and encoded from those pixels.
 *
 * The first spec's variant is made at once; the others are left to the function returned (undefined
 * when nothing is left), so that a caller can make every image's first variant before any image's
 * others. With `keep: false` the decoded pixels are not held until then (the file is decoded again).
 * `onMade(index, variant)` hears of each variant as soon as it exists.
 */
export async function makeVariants(
  asset: Asset,
  probe: ImageProbe,
  specs: VariantSpec[],
  root: string,
  onMade: (index: number, made: MadeVariant) => void,
  { keep = true } = {},
): Promise<(() => Promise<void>) | undefined> {
  const planned = specs.map((spec) => plan(asset, probe, spec, root));
  // Two targets with the same spec (the EPUB's and the web edition's) share one file.
  const first = planned.map((p) => planned.findIndex((q) => q.file === p.file));
  const give = (i: number, m: MadeVariant) => planned.forEach((_, k) => first[k] === i && onMade(k, m));
  const missing: { p: Planned; i: number }[] = [];
  planned.forEach((p, i) => {
    if (first[i] !== i) return;
    const hit = cached(p);
    if (hit) give(i, hit);
    else missing.push({ p, i });
  });
  if (!missing.length) return undefined;
  const raster = missing.filter(({ p }) => p.format !== 'svg');
  let source: Source = { file: asset.path };
  if (raster.length > 1) {
    const box = { width: Math.max(...raster.map(({ p }) => p.spec.maxWidth)), height: Math.max(...raster.map(({ p }) => p.spec.maxHeight)) };
    source = await decodeOnce(asset, box);
  }
  const make = async ({ p, i }: { p: Planned; i: number }) => {
    countImageWork('processed');
    if (p.format !== 'svg' && 'file' in source) countImageWork('decoded');
    give(i, store(p, p.format === 'svg' ? copySvg(asset, probe, root) : await encode(source, probe, p.spec, p.format)));
  };
  const now = missing[0]!.i === 0 ? missing.slice(0, 1) : [];
  const later = missing.slice(now.length);
  for (const m of now) await make(m);
  if (!later.length) return undefined;
  if (!keep) source = { file: asset.path };
  return async () => {
    if (!keep && later.length > 1) source = await decodeOnce(asset, { width: Math.max(...later.map(({ p }) => p.spec.maxWidth)), height: Math.max(...later.map(({ p }) => p.spec.maxHeight)) });
    for (const m of later) await make(m);
  };
}

/** Where a variant's pixels come from: the image file itself, or pixels decoded once for several variants. */
type Source = { file: string } | { raw: Buffer; info: { width: number; height: number; channels: 1 | 2 | 3 | 4 } };

async function decodeOnce(asset: Asset, box: { width: number; height: number }): Promise<Source> {
  countImageWork('decoded');
  try {
    const { data, info } = await sharpInput(asset.path)
      .autoOrient()
      .resize({ ...box, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { raw: data, info: { width: info.width, height: info.height, channels: info.channels as 1 | 2 | 3 | 4 } };
  } catch (e) {
    throw new ProbeError(`cannot be converted (${cleanSharpMessage(e)}); is the file corrupt or truncated?`, 'corrupt-image');
  }
}

type Encoded = Omit<MadeVariant, 'file' | 'name'> & { data: Buffer };

/** SVG stays vector, cleaned of scripts, DOCTYPE and outside references (svg.ts). */
function copySvg(asset: Asset, probe: ImageProbe, root: string): Encoded {
  let data: Buffer;
  try {
    data = Buffer.from(cleanSvg(readBookFile(root, asset.path).toString('utf8')));
  } catch (e) {
    throw new ProbeError(`is not a well-formed SVG file (${(e as Error).message})`, 'bad-image');
  }
  return { data, mediaType: 'image/svg+xml', width: probe.width, height: probe.height, bytes: data.length, channels: probe.channels };
}

async function encode(source: Source, probe: ImageProbe, spec: VariantSpec, format: 'png' | 'jpeg'): Promise<Encoded> {
  let img = ('file' in source ? sharpInput(source.file).autoOrient() : sharp()(source.raw, { raw: source.info }))
    .resize({ width: spec.maxWidth, height: spec.maxHeight, fit: 'inside', withoutEnlargement: true });
  // An alpha channel nothing uses (every pixel opaque) only costs bytes.
  if (!probe.transparent) img = img.removeAlpha();
  else if (format === 'jpeg') img = img.flatten({ background: '#ffffff' });
  if (spec.gray) {
    // Photocopiers crush shadows and blow highlights: stretch the tones gently, clipping 0.5 % at each end.
    img = img.grayscale().normalise({ lower: 0.5, upper: 99.5 }).toColourspace('b-w');
  } else {
    // CMYK, Adobe RGB, P3, 16-bit…: all become 8-bit sRGB; no profile or EXIF is written.
    img = img.toColourspace('srgb');
  }
  img =
    format === 'jpeg'
      ? img.jpeg(
          spec.progressive
            ? {
                // Screens (EPUB, web): mozjpeg's trellis quantisation saves ~12 % of the bytes a reader
                // downloads for ~60 ms an image; scan optimisation would save 1 % more for as long again.
                quality: spec.quality,
                progressive: true,
                trellisQuantisation: true,
                overshootDeringing: true,
                optimiseCoding: true,
                quantisationTable: 3,
                chromaSubsampling: '4:2:0',
              }
            : // Print: baseline with optimised Huffman tables; trellis would cost 5× the encoding time for
              // bytes nobody downloads.
              { quality: spec.quality, optimiseCoding: true, chromaSubsampling: '4:2:0' },
        )
      : img.png({ compressionLevel: 9, adaptiveFiltering: true, palette: !spec.gray && probe.colours > 0 && probe.colours <= 256 });
  try {
    const { data, info } = await img.toBuffer({ resolveWithObject: true });
    return {
      data,
      mediaType: format === 'jpeg' ? 'image/jpeg' : 'image/png',
      width: info.width,
      height: info.height,
      bytes: data.length,
      channels: info.channels,
    };
  } catch (e) {
    throw new ProbeError(`cannot be converted (${cleanSharpMessage(e)}); is the file corrupt or truncated?`, 'corrupt-image');
  }
}
