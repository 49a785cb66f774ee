/**
 * Making one variant of one image: upright (EXIF orientation applied), metadata stripped, sRGB 8-bit
 * (or true one-channel gray for photocopies), no larger than the spec allows, JPEG for photos and PNG
 * for graphics and transparency. Results are cached by content hash + spec.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Asset } from '../model/types.js';
import { checkCacheDir, cacheKey, countImageWork, imageCacheDir, readCacheFile, readJson, writeAtomic } from './cache.js';
import { readBookFile } from '../util/safe_fs.js';
import { MAX_FILE_SLUG } from '../util/slug.js';

const sha256 = (data: Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');
import { cleanSharpMessage, ProbeError, sharpInput, type ImageProbe } from './probe.js';
import { cleanSvg, SVG_CLEAN_VERSION } from './svg.js';

/** Bump when the pipeline's output changes, so cached variants are made again. */
const PIPELINE_VERSION = 1;

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

export async function makeVariant(asset: Asset, probe: ImageProbe, spec: VariantSpec, root: string): Promise<MadeVariant> {
  const format = outputFormat(probe, spec);
  const ext = format === 'jpeg' ? 'jpg' : format;
  const key = cacheKey({ v: PIPELINE_VERSION, sha256: asset.sha256, format, spec: format === 'svg' ? { clean: SVG_CLEAN_VERSION } : spec });
  const dir = path.join(imageCacheDir(root), 'variants');
  const file = path.join(dir, `${key}.${ext}`);
  const info = path.join(dir, `${key}.json`);
  const name = variantName(asset, key, ext);

  checkCacheDir(root, dir);
  // A hit only when the file is a plain file whose bytes hash to what the record says: an entry
  // planted or damaged by hand (a link to /etc/passwd, other bytes) is made again, never shipped.
  const known = readJson<Omit<MadeVariant, 'file' | 'name'> & { sha256?: string }>(info);
  if (known?.sha256) {
    const bytes = readCacheFile(file);
    if (bytes && bytes.length === known.bytes && sha256(bytes) === known.sha256) {
      countImageWork('cacheHits');
      const { sha256: _hash, ...rest } = known;
      return { ...rest, file, name };
    }
  }
  countImageWork('processed');
  const made = format === 'svg' ? copySvg(asset, probe, root) : await encode(asset, probe, spec, format);
  writeAtomic(file, made.data);
  const { data, ...rest } = made;
  writeAtomic(info, JSON.stringify({ ...rest, sha256: sha256(data) }));
  return { ...rest, file, name };
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

async function encode(asset: Asset, probe: ImageProbe, spec: VariantSpec, format: 'png' | 'jpeg'): Promise<Encoded> {
  let img = sharpInput(asset.path)
    .autoOrient()
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
      ? img.jpeg({
          quality: spec.quality,
          progressive: spec.progressive,
          // mozjpeg's size savings, without forcing progressive scans on the print variant.
          trellisQuantisation: true,
          overshootDeringing: true,
          optimiseScans: spec.progressive,
          optimiseCoding: true,
          quantisationTable: 3,
          chromaSubsampling: '4:2:0',
        })
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
