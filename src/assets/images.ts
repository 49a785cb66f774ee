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
 * options under `<book root>/.cache/samizdat/images/`, one image per core at a time, each image decoded once
 * for all the targets of the build.
 */
import os from 'node:os';
import type { BuildContext } from '../targets/target.js';
import type { Asset, Book } from '../model/types.js';
import type { BuildOptions } from '../config/options.js';
import { BuildError } from '../diagnostics.js';
import { checkImages, placementBox, PRINT_PPI } from './checks.js';
import { mapLimited } from './limit.js';
import { ProbeError, type ImageProbe } from './probe.js';
import { makeVariants, type MadeVariant, type VariantSpec } from './variants.js';
import { checkpoint, Interrupted } from '../util/interrupt.js';

export { imageStats, resetImageStats, type ImageStats } from './cache.js';
export { textBlockWidthInches, textBlockInches, figureBoxInches, pageInches, parsePageSize } from './page_size.js';
export { checkImages } from './checks.js';

// One image per core at a time (at most 8: each holds a decoded photo), one libvips thread each
// (set where sharp is loaded, sharp.ts), no operation cache holding big images.

/** Images encoded at the same time. */
export const IMAGE_CONCURRENCY = Math.max(2, Math.min(8, os.availableParallelism()));

/** Bytes of decoded pixels held between an image's first variant and its others (~20 EPUB-sized photos). */
const KEEP_PIXELS = 200 * 1024 * 1024;

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

/** The image targets of a build, in the order their variants are made (the PDF's first: it waits for them). */
function imageTargets(options: BuildOptions, asked: ImageTarget): ImageTarget[] {
  const all = (['pdf', 'epub', 'html'] as const).filter((t) => options.formats.includes(t));
  return all.includes(asked) ? all : [asked];
}

/** Each build's image work, started once for all its targets (keyed by the build's options). */
const started = new WeakMap<BuildOptions, Map<ImageTarget, Promise<Map<string, ImageVariant>>>>();

/**
 * Returns the variant of every image asset of the book for `target`. The first call of a build starts
 * the work for every image target of the build, so that each image is decoded once for all of them
 * (variants.ts makeVariants); later calls for the other targets get the same work's results.
 */
export function imageVariants(ctx: BuildContext, target: ImageTarget): Promise<Map<string, ImageVariant>> {
  let work = started.get(ctx.options);
  if (!work?.has(target)) {
    work = startImageWork(ctx, imageTargets(ctx.options, target));
    started.set(ctx.options, work);
  }
  const p = work.get(target)!;
  // Asked once: a second build with the same options object (preview, tests) starts afresh.
  work.delete(target);
  return p;
}

function startImageWork(ctx: BuildContext, targets: ImageTarget[]): Map<ImageTarget, Promise<Map<string, ImageVariant>>> {
  const images = [...ctx.book.assets.values()].filter((a) => a.kind === 'image');
  // Per target, per image: the variant once it exists (undefined when the image failed).
  const slots = targets.map(() => images.map(() => deferred<ImageVariant | undefined>()));
  let failed = false;
  const guarded = async (asset: Asset, i: number, job: () => Promise<void>) => {
    try {
      await checkpoint(ctx.signal, 'images');
      await job();
    } catch (e) {
      if (!(e instanceof Interrupted)) {
        failed = true;
        const code = e instanceof ProbeError ? e.code : 'image-failed';
        ctx.diags.error(code, `image ${asset.relPath} ${e instanceof ProbeError ? e.message : `could not be processed: ${(e as Error).message}`}`, asset.refs[0]);
      }
      for (const s of slots) s[i]!.resolve(undefined);
    }
  };
  const all = (async () => {
    const probes = await checkedProbes(ctx);
    // First every image's variant for the first target (the PDF, which waits for all of them before its
    // layout), then the other targets' (made while the PDF lays out), from the pixels decoded for the
    // first while they fit in KEEP_PIXELS.
    let kept = 0;
    const rests: (() => Promise<void>)[] = [];
    await mapLimited(images, IMAGE_CONCURRENCY, (asset, i) =>
      guarded(asset, i, async () => {
        const probe = probes.get(asset.id)!;
        const specs = targets.map((t) => variantSpec(ctx.book, asset, ctx.options, t));
        const pixels = Math.min(probe.width * probe.height, Math.max(...specs.map((s) => s.maxWidth * s.maxHeight))) * 4;
        const keep = kept + pixels <= KEEP_PIXELS;
        if (keep) kept += pixels;
        const rest = await makeVariants(asset, probe, specs, ctx.book.root, (k, v) => slots[k]![i]!.resolve({ assetId: asset.id, ...v }), { keep });
        if (rest) rests[i] = () => guarded(asset, i, rest);
      }),
    );
    await mapLimited(
      rests.flatMap((r) => (r ? [r] : [])),
      IMAGE_CONCURRENCY,
      (r) => r(),
    );
    // Any slot still open (an interrupted job) closes empty.
    for (const s of slots) for (const d of s) d.resolve(undefined);
  })();
  all.catch(() => undefined);
  const results = new Map(
    targets.map((target, k) => [
      target,
      (async () => {
        // The probes' errors (and only they) reject `all` before any slot is settled.
        const made = await Promise.race([Promise.all(slots[k]!.map((d) => d.promise)), all.then(() => Promise.all(slots[k]!.map((d) => d.promise)))]);
        if (ctx.signal.aborted) throw new Interrupted(ctx.signal.reason);
        if (failed || made.some((v) => !v)) throw new BuildError(`the images for the ${target} edition could not be made`, ctx.diags.items);
        return new Map(made.map((v) => [v!.assetId, v!]));
      })(),
    ]),
  );
  // A target that never asks (its build failed first) leaves no unhandled rejection behind.
  for (const p of results.values()) p.catch(() => undefined);
  return results;
}

/** A promise with its resolve function outside (resolving twice keeps the first value). */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
