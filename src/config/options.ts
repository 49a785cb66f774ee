/**
 * Build options, resolved once before any target runs: defaults, then book.yaml (and the first file's
 * front matter), then the command line, all checked by the one schema (schema.ts).
 */
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import { nearest } from '../util/slug.js';
import type { Paper, Service } from '../print/services.js';
import { parseLengthMm } from './units.js';
import { canonicalKeys, resolveSettings, type Origins, type Settings } from './schema.js';

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

export interface A11yOptions {
  /** The party named as evaluator in the EPUB's conformance claim (a11y:certifiedBy), when the book names one. */
  certifier?: string;
}

export interface PrintOptions {
  service: Service;
  paper: Paper;
  /** Spine width from the service's template, in inches, instead of the computed one. */
  spineIn?: number;
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
  a11y: A11yOptions;
  /** Print on demand (print.service / --service): interior and cover files to the service's rules. */
  print?: PrintOptions;
  /** Everything the user set, for the manifest. */
  given: Record<string, unknown>;
}

/** The certifier as written: text, a number, or a `name:` mapping as for authors. */
function certifierName(v: unknown): string | undefined {
  const name = v && typeof v === 'object' && 'name' in v && !(v instanceof Date) ? (v as { name: unknown }).name : v;
  const text = name instanceof Date ? name.toISOString().slice(0, 10) : name === undefined || name === null ? '' : String(name).trim();
  return text || undefined;
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
  service?: string;
  paper?: string;
}

/** The flags that stand for a book.yaml option, as the settings path they set. */
const FLAG_SETTINGS: { flag: keyof CliFlags; path: [string, string]; value?: unknown }[] = [
  { flag: 'size', path: ['pdf', 'size'] },
  { flag: 'grayscale', path: ['pdf', 'color'], value: 'gray' },
  { flag: 'impose', path: ['pdf', 'impose'] },
  { flag: 'signature', path: ['pdf', 'signature'] },
  { flag: 'press', path: ['pdf', 'press'] },
  { flag: 'pdfa', path: ['pdf', 'pdfa'] },
  { flag: 'service', path: ['print', 'service'] },
  { flag: 'paper', path: ['print', 'paper'] },
];

/** The settings with the command line's flags on top, and where each flag's value came from. */
export function withFlags(settings: Record<string, unknown>, flags: CliFlags, origins: Origins): Record<string, unknown> {
  const out: Record<string, unknown> = { ...settings };
  for (const { flag, path: [sec, key], value } of FLAG_SETTINGS) {
    const given = flags[flag];
    if (given === undefined || given === false) continue;
    const old = out[sec];
    out[sec] = { ...(old && typeof old === 'object' && !Array.isArray(old) ? old : {}), [key]: value ?? given };
    origins.set(`${sec}.${key}`, { flag: `--${flag}` });
  }
  return out;
}

/**
 * Checks the settings (book.yaml, front matter) and the flags against the schema and resolves every
 * option. Problems are errors in `diags`, with the line (or flag) they came from; the options returned
 * then hold defaults in their place.
 */
export function resolveOptions(
  root: string,
  settings: Record<string, unknown>,
  flags: CliFlags,
  diags: Diagnostics,
  env: NodeJS.ProcessEnv = process.env,
  origins: Origins = new Map(),
): BuildOptions {
  const merged = withFlags(canonicalKeys(settings, origins), flags, origins);
  const s: Partial<Settings> = resolveSettings(merged, origins, diags) ?? {};
  const pdf: Partial<NonNullable<Settings['pdf']>> = s.pdf ?? {};
  const epub: Partial<NonNullable<Settings['epub']>> = s.epub ?? {};
  const print: Partial<NonNullable<Settings['print']>> = s.print ?? {};
  const formats = (flags.format ?? FORMATS.join(','))
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  for (const f of formats) {
    if (!(FORMATS as readonly string[]).includes(f)) {
      const near = nearest(f, FORMATS);
      diags.error('bad-option', `unknown format "${f}"; choose from ${FORMATS.join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`);
    }
  }
  let sourceDateEpoch: number | undefined;
  if (env['SOURCE_DATE_EPOCH']) {
    sourceDateEpoch = Number(env['SOURCE_DATE_EPOCH']);
    if (!Number.isInteger(sourceDateEpoch) || sourceDateEpoch < 0) {
      diags.error('bad-option', `SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${env['SOURCE_DATE_EPOCH']}"`);
      sourceDateEpoch = undefined;
    }
  } else if (flags.reproducible) {
    const date = s.date ?? settings['date'];
    const t = date ? Date.parse(String(date instanceof Date ? date.toISOString() : date)) : NaN;
    if (Number.isNaN(t)) diags.error('bad-option', '--reproducible needs SOURCE_DATE_EPOCH or a "date:" in the metadata');
    else sourceDateEpoch = Math.floor(t / 1000);
  }
  // A mini-zine is eight panels: no title page or contents, chapters run on, covers without insides.
  const zine = pdf.impose === 'minizine';
  return {
    root,
    outDir: path.resolve(flags.out ?? path.join(root, 'dist')),
    formats: [...new Set(formats)] as Format[],
    chrome: flags.chrome,
    quiet: !!flags.quiet,
    sourceDateEpoch,
    pdf: {
      size: pdf.size ?? 'A5',
      timeoutMs: (pdf.timeout ?? 300) * 1000,
      color: pdf.color ?? 'color',
      impose: pdf.impose,
      signature: pdf.signature,
      creep: pdf.creep,
      bleed: pdf.bleed,
      marks: pdf.marks,
      cover: pdf.cover ?? true,
      press: pdf.press ?? false,
      pdfa: pdf.pdfa ?? false,
      chapterStart: pdf.chapterStart ?? (zine ? 'continue' : 'right'),
      frontMatter: pdf.frontMatter ?? !zine,
      insideCovers: !zine,
      parallel: pdf.parallel ?? 'auto',
    },
    epub: {
      split: epub.split ?? 1,
      notes: epub.notes ?? 'chapter',
      fonts: epub.fonts ?? false,
      imageMaxSide: epub.imageMaxSide ?? 1600,
    },
    a11y: { certifier: certifierName(s.a11y?.certifier) },
    print: print.service
      ? { service: print.service, paper: print.paper ?? 'white', spineIn: print.spine !== undefined ? (parseLengthMm(print.spine) as number) / 25.4 : undefined }
      : undefined,
    given: { ...settings, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) },
  };
}
