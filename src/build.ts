/**
 * The pipeline: resolve everything first (project, options, book model, checks), then run the targets
 * into a staging folder, then move the results into the output folder in one step.
 */
import { BuildError, Diagnostics } from './diagnostics.js';
import { loadProject } from './load/project.js';
import { buildBook, buildBookYielding } from './model/build_book.js';
import { resolveOptions, type BuildOptions, type CliFlags } from './config/options.js';
import type { Book } from './model/types.js';
import { BuildFacts } from './model/facts.js';
import { checkOutDir, Stage } from './output/stage.js';
import { checkpoint } from './util/interrupt.js';
import { writeManifest } from './edition/manifest.js';
import { checkImages } from './assets/checks.js';
import { checkGlyphs } from './assets/glyphs.js';
import { targetsFor } from './targets/index.js';
import type { Target } from './targets/target.js';
import { findExecutable, NEEDS_GHOSTSCRIPT, PDFA_NEEDS_GHOSTSCRIPT } from './print/ghostscript.js';
import { Logger } from './util/log.js';
import { addTiming, timed } from './util/timing.js';

export interface Prepared {
  book: Book;
  options: BuildOptions;
  diags: Diagnostics;
}

/** Loads and checks a book folder. Throws BuildError (with every diagnostic) when there are errors. */
export function prepare(dir: string, flags: CliFlags = {}, diags = new Diagnostics()): Prepared {
  const started = performance.now();
  try {
    return prepareUntimed(dir, flags, diags);
  } finally {
    addTiming('parse', performance.now() - started);
  }
}

function prepareUntimed(dir: string, flags: CliFlags, diags: Diagnostics): Prepared {
  const { project, options } = loadChecked(dir, flags, diags);
  return checked({ book: buildBook(project, diags), options, diags });
}

/** prepare(), letting other work (the browser's start) run between the manuscript's files. */
async function prepareYielding(dir: string, flags: CliFlags, diags = new Diagnostics()): Promise<Prepared> {
  const started = performance.now();
  try {
    const { project, options } = loadChecked(dir, flags, diags);
    return checked({ book: await buildBookYielding(project, diags), options, diags });
  } finally {
    addTiming('parse', performance.now() - started);
  }
}

function loadChecked(dir: string, flags: CliFlags, diags: Diagnostics) {
  const project = loadProject(dir, diags);
  if (!project) throw new BuildError('the book could not be loaded', diags.items);
  return { project, options: resolveOptions(project.root, project.settings, flags, diags, process.env, project.origins) };
}

function checked(prepared: Prepared): Prepared {
  const { diags } = prepared;
  if (diags.hasErrors()) throw new BuildError(`${diags.errors.length} error(s) in the book`, diags.items);
  return prepared;
}

/**
 * prepare(), then every check of the build short of layout: the output folder, the tools the chosen
 * outputs need, every image (format, whole data, print resolution) and every character (a font for
 * it). `samizdat check` runs exactly this with `readOnly`: nothing is written anywhere, not even the
 * image cache.
 */
export async function prepareChecked(dir: string, flags: CliFlags = {}, signal?: AbortSignal, { readOnly = false } = {}): Promise<Prepared> {
  await checkpoint(signal, 'parse');
  const prepared = await prepareYielding(dir, flags);
  const { book, options, diags } = prepared;
  checkOutDir(book.root, options.outDir, flags.out ?? options.outDir);
  checkTools(options, diags);
  await checkpoint(signal);
  await timed('images', () => checkImages(book, options, diags, { writeCache: !readOnly }));
  await checkpoint(signal);
  // Every character must have a face among the book's fonts: a warning at its place, never a box.
  checkGlyphs(book, diags);
  if (diags.hasErrors()) throw new BuildError(`${diags.errors.length} error(s) in the book`, diags.items);
  return prepared;
}

/** Programs the chosen outputs need, looked for before any work (the press and archive copies: Ghostscript). */
function checkTools(options: BuildOptions, diags: Diagnostics): void {
  if (!options.formats.includes('pdf') || (!options.pdf.press && !options.pdf.pdfa)) return;
  if (findExecutable('gs')) return;
  if (options.pdf.press) diags.error('press-needs-ghostscript', NEEDS_GHOSTSCRIPT);
  if (options.pdf.pdfa) diags.error('pdfa-needs-ghostscript', PDFA_NEEDS_GHOSTSCRIPT);
}

export interface BuildResult extends Prepared {
  files: string[];
}

export async function build(dir: string, flags: CliFlags = {}, opts: { log?: Logger; signal?: AbortSignal } = {}): Promise<BuildResult> {
  const log = opts.log ?? new Logger(!!flags.quiet);
  // What the command line started early (targets/warm.ts, only for a build with a PDF) and no target
  // takes is closed at the end by that target.
  let loaded: Target[] = [];
  const coolDown = () => Promise.all(loaded.map((t) => t.coolDown?.()));
  let prepared: Prepared;
  try {
    // A wrong --out is refused before any work.
    prepared = await prepareChecked(dir, flags, opts.signal);
  } catch (e) {
    // No target was loaded: a browser the command line started for the PDF (targets/warm.ts) goes here.
    await (await import('./targets/pdf/chrome.js')).discardEarly();
    throw e;
  }
  const { book, options, diags } = prepared;
  let preparing: Promise<void>[] = [];
  const stage = new Stage(options.outDir);
  const controller = new AbortController();
  const onAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) onAbort();
  try {
    const facts = new BuildFacts();
    const ctx = { book, options, stage, diags, log, facts, signal: controller.signal };
    const targets = (loaded = await targetsFor(options.formats));
    // What a later target can do before its turn starts now (its build awaits it).
    preparing = targets.map((t) => t.prepare?.(ctx) ?? Promise.resolve());
    for (const target of targets) {
      const started = Date.now();
      await timed(target.format, () => target.build(ctx));
      await checkpoint(controller.signal);
      if (diags.hasErrors()) throw new BuildError(`the ${target.format} target failed`, diags.items);
      log.info(`${target.format}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await checkpoint(controller.signal);
    writeManifest(stage, book, book.edition, options, facts.engines);
    const files = stage.commit();
    return { book, options, diags, files };
  } catch (e) {
    // Work started early ends before the stage goes.
    await Promise.allSettled(preparing);
    stage.abort();
    if (e instanceof BuildError) throw new BuildError(e.message, diags.items.length ? diags.items : e.diagnostics);
    throw e;
  } finally {
    await coolDown();
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
