/**
 * Checks on every image of the book, reported at the place that refers to it (asset.refs[0]):
 * corrupt or unreadable → error; unsupported format → error; enormous → error; too few pixels for print
 * at the size it is placed → warning with the ppi figure. Metadata only (cached), so cheap enough for
 * `samizdat check` as well as for the build.
 */
import type { Asset, Book } from '../model/types.js';
import type { BuildOptions } from '../config/options.js';
import type { Diagnostics } from '../diagnostics.js';
import { mapLimited } from './limit.js';
import { ProbeError, probeImage, type ImageProbe } from './probe.js';
import { figureBoxInches, pageInches, type Inches } from './page_size.js';

/** Below this effective resolution a printed photo looks soft or pixelated. */
export const MIN_PRINT_PPI = 150;

/** Resolution every print variant is downsampled to. */
export const PRINT_PPI = 300;

/** The box an image is placed in on the printed page: the whole page for the cover, else the figure box. */
export function placementBox(book: Book, asset: Asset, options: BuildOptions): Inches {
  // The cover and full-bleed plates ({.bleed}) cover the whole page; other figures sit in the text block.
  const fullPage = book.meta.cover === asset.id || book.figures.some((f) => f.assetId === asset.id && f.classes.includes('bleed'));
  return fullPage ? pageInches(options.pdf.size) : figureBoxInches(options.pdf.size);
}

/** CSS pixels per inch: an image without a CSS size is laid out at this resolution, then shrunk to fit. */
const CSS_PPI = 96;

/** Effective ppi of an image of `w × h` pixels at its natural CSS size, shrunk to fit `box` (never enlarged). */
export function effectivePpi(w: number, h: number, box: Inches): number {
  return Math.max(CSS_PPI, w / box.width, h / box.height);
}

const runs = new WeakMap<Diagnostics, WeakMap<Book, Promise<Map<string, ImageProbe>>>>();

/**
 * Probes every image asset and reports problems; returns the probes of the images that can be used.
 * Runs once per book and diagnostics object: `samizdat check`, build.ts and every target may call it,
 * and each problem is still reported once.
 */
export function checkImages(book: Book, options: BuildOptions, diags: Diagnostics, probeOptions: { writeCache?: boolean } = {}): Promise<Map<string, ImageProbe>> {
  let perBook = runs.get(diags);
  if (!perBook) runs.set(diags, (perBook = new WeakMap()));
  let run = perBook.get(book);
  if (!run) perBook.set(book, (run = runChecks(book, options, diags, probeOptions)));
  return run;
}

async function runChecks(book: Book, options: BuildOptions, diags: Diagnostics, probeOptions: { writeCache?: boolean }): Promise<Map<string, ImageProbe>> {
  const images = [...book.assets.values()].filter((a) => a.kind === 'image');
  const probes = new Map<string, ImageProbe>();
  const results = await mapLimited(images, 2, async (asset) => {
    try {
      return { asset, probe: await probeImage(asset, book.root, probeOptions) };
    } catch (e) {
      return { asset, error: e };
    }
  });
  for (const r of results) {
    const at = r.asset.refs[0];
    if ('error' in r) {
      const code = r.error instanceof ProbeError ? r.error.code : 'unreadable-image';
      diags.error(code, `image ${r.asset.relPath} ${r.error instanceof ProbeError ? r.error.message : `cannot be read: ${(r.error as Error).message}`}`, at);
      continue;
    }
    const { asset, probe } = r;
    probes.set(asset.id, probe);
    if (options.formats.includes('pdf') && probe.format !== 'svg') {
      const ppi = effectivePpi(probe.width, probe.height, placementBox(book, asset, options));
      if (ppi < MIN_PRINT_PPI) {
        diags.warn(
          'low-resolution',
          `image ${asset.relPath} is ${probe.width} × ${probe.height} pixels: only ${Math.round(ppi)} ppi printed ${book.meta.cover === asset.id ? 'as the cover' : 'at the text width'} of a ${options.pdf.size} page (${MIN_PRINT_PPI} ppi or more prints cleanly, ${PRINT_PPI} is ideal)`,
          at,
        );
      }
    }
  }
  return probes;
}
