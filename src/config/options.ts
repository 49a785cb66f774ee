/**
 * Build options, resolved once before any target runs: defaults, then book.yaml, then the command line.
 */
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';

export const FORMATS = ['html', 'pdf', 'epub'] as const;
export type Format = (typeof FORMATS)[number];

export interface PdfOptions {
  size: string;
  timeoutMs: number;
  color: 'color' | 'gray';
  impose?: 'booklet' | 'minizine';
  signature?: number;
  creep?: string;
  bleed?: string;
  marks?: 'crop';
  cover: boolean;
  press: boolean;
  pdfa: boolean;
  /** Where a chapter (level-1 section) starts: a right-hand page, a new page, or on in the text. */
  chapterStart: 'right' | 'page' | 'continue';
  /** Title page, colophon page and contents in front; without, the colophon closes the text. */
  frontMatter: boolean;
  /** Inside covers (blank) with the covers; a mini-zine has only front and back. */
  insideCovers: boolean;
  /** Lay a long book out in chapter chunks at once (auto: from about 100 pages on a multi-core machine). */
  parallel: 'auto' | 'on' | 'off';
}

export interface EpubOptions {
  split: 1 | 2 | 'file';
  notes: 'chapter' | 'book';
  fonts: boolean;
  imageMaxSide: number;
}

export interface BuildOptions {
  root: string;
  outDir: string;
  formats: Format[];
  chrome?: string;
  quiet: boolean;
  /** Seconds since the epoch, from SOURCE_DATE_EPOCH (or the edition date with --reproducible). */
  sourceDateEpoch?: number;
  pdf: PdfOptions;
  epub: EpubOptions;
  /** Everything the user set, for the manifest. */
  given: Record<string, unknown>;
}

export interface CliFlags {
  out?: string;
  format?: string;
  size?: string;
  chrome?: string;
  quiet?: boolean;
  grayscale?: boolean;
  impose?: string;
  signature?: string;
  press?: boolean;
  pdfa?: boolean;
  reproducible?: boolean;
}

function section(settings: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = settings[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function resolveOptions(
  root: string,
  settings: Record<string, unknown>,
  flags: CliFlags,
  diags: Diagnostics,
  env: NodeJS.ProcessEnv = process.env,
): BuildOptions {
  const pdf = section(settings, 'pdf');
  const epub = section(settings, 'epub');
  const formats = (flags.format ?? FORMATS.join(','))
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  for (const f of formats) {
    if (!(FORMATS as readonly string[]).includes(f)) diags.error('bad-option', `unknown format "${f}"; choose from ${FORMATS.join(', ')}`);
  }
  let sourceDateEpoch: number | undefined;
  if (env['SOURCE_DATE_EPOCH']) {
    sourceDateEpoch = Number(env['SOURCE_DATE_EPOCH']);
    if (!Number.isInteger(sourceDateEpoch) || sourceDateEpoch < 0) {
      diags.error('bad-option', `SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${env['SOURCE_DATE_EPOCH']}"`);
      sourceDateEpoch = undefined;
    }
  } else if (flags.reproducible) {
    const date = settings['date'];
    const t = date ? Date.parse(String(date instanceof Date ? date.toISOString() : date)) : NaN;
    if (Number.isNaN(t)) diags.error('bad-option', '--reproducible needs SOURCE_DATE_EPOCH or a "date:" in the metadata');
    else sourceDateEpoch = Math.floor(t / 1000);
  }
  const impose = flags.impose ?? (pdf['impose'] as string | undefined);
  if (impose !== undefined && impose !== 'booklet' && impose !== 'minizine') {
    diags.error('bad-option', `unknown imposition "${impose}"; choose booklet or minizine`);
  }
  // A mini-zine is eight panels: no title page or contents, chapters run on, covers without insides.
  const zine = impose === 'minizine';
  const chapterStart = pdf['chapterStart'] ?? (zine ? 'continue' : 'right');
  if (!['right', 'page', 'continue'].includes(String(chapterStart))) {
    diags.error('bad-option', `pdf.chapterStart must be right, page or continue, not "${String(chapterStart)}"`, { file: 'book.yaml' });
  }
  const parallelRaw = pdf['parallel'] ?? 'auto';
  const parallel = parallelRaw === true ? 'on' : parallelRaw === false ? 'off' : String(parallelRaw);
  if (!['auto', 'on', 'off'].includes(parallel)) diags.error('bad-option', `pdf.parallel must be auto, on or off, not "${parallel}"`, { file: 'book.yaml' });
  const split = epub['split'] ?? 1;
  if (split !== 1 && split !== 2 && split !== 'file') diags.error('bad-option', 'epub.split must be 1, 2 or file', { file: 'book.yaml' });
  const notes = epub['notes'] ?? 'chapter';
  if (notes !== 'chapter' && notes !== 'book') diags.error('bad-option', 'epub.notes must be chapter or book', { file: 'book.yaml' });
  return {
    root,
    outDir: path.resolve(flags.out ?? path.join(root, 'dist')),
    formats: [...new Set(formats)] as Format[],
    chrome: flags.chrome ?? (settings['chrome'] as string | undefined),
    quiet: !!flags.quiet,
    sourceDateEpoch,
    pdf: {
      size: String(flags.size ?? pdf['size'] ?? 'A5'),
      timeoutMs: Number(pdf['timeout'] ?? 300) * 1000,
      color: flags.grayscale || pdf['color'] === 'gray' ? 'gray' : 'color',
      impose: impose as PdfOptions['impose'],
      signature: flags.signature ? Number(flags.signature) : (pdf['signature'] as number | undefined),
      creep: pdf['creep'] as string | undefined,
      bleed: pdf['bleed'] as string | undefined,
      marks: pdf['marks'] as PdfOptions['marks'],
      cover: pdf['cover'] !== false,
      press: !!(flags.press ?? pdf['press']),
      pdfa: !!(flags.pdfa ?? pdf['pdfa']),
      chapterStart: chapterStart as PdfOptions['chapterStart'],
      frontMatter: pdf['frontMatter'] === undefined ? !zine : pdf['frontMatter'] !== false,
      insideCovers: !zine,
      parallel: parallel as PdfOptions['parallel'],
    },
    epub: {
      split: split as EpubOptions['split'],
      notes: notes as EpubOptions['notes'],
      fonts: !!epub['fonts'],
      imageMaxSide: Number(epub['imageMaxSide'] ?? 1600),
    },
    given: { ...settings, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) },
  };
}
