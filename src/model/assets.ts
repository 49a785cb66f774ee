/**
 * The media registry: every file the book refers to, resolved once, hashed once, with every place that
 * refers to it. Resolution: relative to the Markdown file (as editors preview it), then to the book folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Asset, SourcePos } from './types.js';
import type { Diagnostics } from '../diagnostics.js';
import { isInside, relPosix } from '../util/paths.js';
import { pathExists, readBookFile, resolveInside, UnsafePathError } from '../util/safe_fs.js';

const MEDIA_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  avif: 'image/avif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
};

export const SUPPORTED_IMAGE_EXTENSIONS = Object.keys(MEDIA_TYPES);

/** Recognises the file from its first bytes, so a renamed or truncated file is caught early. */
function sniff(buf: Buffer): string | undefined {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.subarray(0, 6).toString('latin1').startsWith('GIF8')) return 'image/gif';
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (buf.subarray(4, 12).toString('latin1').startsWith('ftypavif')) return 'image/avif';
  if (['II*\0', 'MM\0*'].includes(buf.subarray(0, 4).toString('latin1'))) return 'image/tiff';
  const head = buf.subarray(0, 512).toString('utf8').trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  return undefined;
}

export type Resolution =
  | { kind: 'asset'; asset: Asset }
  | { kind: 'remote'; url: string }
  | { kind: 'failed' };

export class AssetRegistry {
  readonly assets = new Map<string, Asset>();
  private readonly byPath = new Map<string, Asset>();

  constructor(
    private readonly root: string,
    private readonly diags: Diagnostics,
  ) {}

  /** Resolves an image reference written in `fromFile` (relative to the book folder) at `at`. */
  resolveImage(src: string, fromFile: string, at: SourcePos): Resolution {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src) && !/^file:/i.test(src)) {
      this.diags.warn('remote-image', `remote image ${src} is not fetched; samizdat builds only from files in the book folder`, at);
      return { kind: 'remote', url: src };
    }
    let ref: string;
    try {
      ref = decodeURIComponent(src.replace(/^file:\/\//i, '').split(/[?#]/)[0]!);
    } catch {
      ref = src;
    }
    const candidates = path.isAbsolute(ref)
      ? [ref]
      : [path.resolve(this.root, path.dirname(fromFile), ref), path.resolve(this.root, ref)];
    const inside = candidates.filter((c) => isInside(this.root, c));
    if (inside.length === 0) {
      this.diags.error('outside-project', `image ${src} lies outside the book folder; copy it into images/`, at);
      return { kind: 'failed' };
    }
    const found = inside.find((c) => pathExists(c) && !isFolder(c));
    if (!found) {
      this.diags.error('missing-image', `image not found: ${src} (looked in ${inside.map((c) => relPosix(this.root, c)).join(' and ')})`, at);
      return { kind: 'failed' };
    }
    // The real file, after every link: a link (of the image or a folder above it) out of the book is refused.
    let real: string;
    try {
      real = resolveInside(this.root, found);
    } catch (e) {
      this.diags.error(e instanceof UnsafePathError ? e.code : 'unreadable-image', `image ${src}: ${(e as Error).message}`, at);
      return { kind: 'failed' };
    }
    const asset = this.register(found, real, at);
    return asset ? { kind: 'asset', asset } : { kind: 'failed' };
  }

  private register(abs: string, real: string, at: SourcePos): Asset | undefined {
    const known = this.byPath.get(real);
    if (known) {
      known.refs.push(at);
      return known;
    }
    const ext = path.extname(abs).slice(1).toLowerCase();
    let buf: Buffer;
    try {
      buf = readBookFile(this.root, real);
    } catch (e) {
      this.diags.error('unreadable-image', `cannot read image: ${(e as Error).message}`, at);
      return undefined;
    }
    const mediaType = sniff(buf);
    if (!mediaType) {
      const what = MEDIA_TYPES[ext] ? `is not a readable ${ext.toUpperCase()} file (corrupt or empty?)` : 'is not an image in a supported format';
      this.diags.error('bad-image', `${relPosix(this.root, abs)} ${what}; supported: ${SUPPORTED_IMAGE_EXTENSIONS.join(', ')}`, at);
      return undefined;
    }
    const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
    const relPath = relPosix(this.root, abs);
    // `path` is the real file (checked inside the book): sharp and the layout server read that one.
    const asset: Asset = { id: assetId(relPath), path: real, relPath, kind: 'image', sha256, mediaType, refs: [at] };
    this.byPath.set(real, asset);
    this.assets.set(asset.id, asset);
    return asset;
  }
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A stable id from the path: images/fig one.jpg → img-images-fig-one-jpg. */
function assetId(relPath: string): string {
  return 'img-' + relPath.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
