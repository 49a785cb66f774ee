/**
 * Image variants per target. Every target asks here for the file it should embed for each image asset
 * of the book; this is the one place that decides sizes, formats and colour handling.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { BuildContext } from '../targets/target.js';
import type { Asset } from '../model/types.js';

export type ImageTarget = 'pdf' | 'epub' | 'html';

export interface ImageVariant {
  assetId: string;
  /** Absolute path of the file to embed. */
  file: string;
  /** Stable file name for the output (never random). */
  name: string;
  mediaType: string;
  width: number;
  height: number;
}

/** Returns the variant of every image asset of the book for `target`. */
export async function imageVariants(ctx: BuildContext, target: ImageTarget): Promise<Map<string, ImageVariant>> {
  void target;
  const out = new Map<string, ImageVariant>();
  for (const asset of ctx.book.assets.values()) {
    if (asset.kind !== 'image') continue;
    out.set(asset.id, await original(asset));
  }
  return out;
}

async function original(asset: Asset): Promise<ImageVariant> {
  const meta = await sharp(asset.path).metadata();
  return {
    assetId: asset.id,
    file: asset.path,
    name: path.basename(asset.relPath),
    mediaType: asset.mediaType,
    width: meta.width ?? 0,
    height: meta.height ?? 0,
  };
}
