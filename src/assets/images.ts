/**
 * Image variants per target. Every target asks here for the file it should embed for each image asset
 * of the book; this is the one place that decides sizes, formats and colour handling.
 *
 *   pdf   300 ppi at the size the image is placed (text-block width, ≤ 60 % of its height; the page for
 *         the cover), JPEG q85 /
 *         PNG for graphics; one gray channel with a contrast stretch in photocopy mode (pdf.color gray)
 *   epub  long side ≤ epub.imageMaxSide, progressive JPEG q80 / PNG for graphics
 *   html  the epub variant
 *
 * Checks run first (errors abort before anything is encoded); variants are cached by content hash +
 * options under `<book root>/.cache/samizdat/images/`, two at a time.
 */
import sharp from 'sharp';
import type { BuildContext } from '../targets/target.js';
import type { Asset, Book } from '../model/types.js';
import type { BuildOptions } from '../config/options.js';
import { BuildError } from '../diagnostics.js';
import { checkImages, placementBox, PRINT_PPI } from './checks.js';
import { mapLimited } from './limit.js';
import { ProbeError, type ImageProbe } from './probe.js';
import { makeVariant, type MadeVariant, type VariantSpec } from './variants.js';
import { checkpoint, Interrupted } from '../util/interrupt.js';

export { imageStats, resetImageStats, type ImageStats } from './cache.js';
export { textBlockWidthInches, textBlockInches, figureBoxInches, pageInches, parsePageSize } from './page_size.js';
export { checkImages } from './checks.js';

// Two images at a time on two cores: one libvips thread each, no operation cache holding big images.
sharp.concurrency(1);
sharp.cache(false);

/** Images encoded at the same time. */
export const IMAGE_CONCURRENCY = 2;

export type ImageTarget = 'pdf' | 'epub' | 'html';

/** The file a target embeds for one image asset (see MadeVariant for the fields). */
export interface ImageVariant extends MadeVariant {
  assetId: string;
}

/** The encoding settings of `target` for `asset`. */
export function variantSpec(book: Book, asset: Asset, options: BuildOptions, target: ImageTarget): VariantSpec {
  if (target === 'pdf') {
    const box = placementBox(book, asset, options);
    return {
      maxWidth: Math.round(box.width * PRINT_PPI),
      maxHeight: Math.round(box.height * PRINT_PPI),
      quality: 85,
      progressive: false,
      gray: options.pdf.color === 'gray',
    };
  }
  const side = Math.max(1, Math.round(options.epub.imageMaxSide || 1600));
  return { maxWidth: side, maxHeight: side, quality: 80, progressive: true, gray: false };
}

/** Runs the image checks (once per build); throws BuildError when an image cannot be used. */
async function checkedProbes(ctx: BuildContext): Promise<Map<string, ImageProbe>> {
  const probes = await checkImages(ctx.book, ctx.options, ctx.diags);
  const images = [...ctx.book.assets.values()].filter((a) => a.kind === 'image');
  if (images.some((a) => !probes.has(a.id))) {
    throw new BuildError('some images cannot be used', ctx.diags.items);
  }
  return probes;
}

/** Returns the variant of every image asset of the book for `target`. */
export async function imageVariants(ctx: BuildContext, target: ImageTarget): Promise<Map<string, ImageVariant>> {
  const probes = await checkedProbes(ctx);
  const images = [...ctx.book.assets.values()].filter((a) => a.kind === 'image');
  let failed = false;
  const made = await mapLimited(images, IMAGE_CONCURRENCY, async (asset) => {
    try {
      await checkpoint(ctx.signal, 'images');
      const v = await makeVariant(asset, probes.get(asset.id)!, variantSpec(ctx.book, asset, ctx.options, target), ctx.book.root);
      return { assetId: asset.id, ...v } satisfies ImageVariant;
    } catch (e) {
      if (e instanceof Interrupted) return undefined;
      failed = true;
      const code = e instanceof ProbeError ? e.code : 'image-failed';
      ctx.diags.error(code, `image ${asset.relPath} ${e instanceof ProbeError ? e.message : `could not be processed: ${(e as Error).message}`}`, asset.refs[0]);
      return undefined;
    }
  });
  if (ctx.signal.aborted) throw new Interrupted(ctx.signal.reason);
  if (failed) throw new BuildError(`the images for the ${target} edition could not be made`, ctx.diags.items);
  const out = new Map<string, ImageVariant>();
  for (const v of made) if (v) out.set(v.assetId, v);
  return out;
}
