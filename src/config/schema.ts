/**
 * The one schema of a book's settings: book.yaml, the first manuscript file's front matter and the
 * command-line flags all go through it before anything is built. Each field reads the values people
 * write (YAML booleans and yes/no/on/off, lengths with units, names of choices) and says in a sentence
 * why it refuses one; resolveSettings() turns those sentences into diagnostics with file and line.
 *
 * To add an option: add a field to a section below (or a new section to SECTIONS); the options
 * resolver (options.ts) reads the parsed value. Field makers: flag, oneOf, length, pageSize, seconds,
 * wholeNumber, text, list.
 */
import { z } from 'zod';
import type { Diagnostics } from '../diagnostics.js';
import { nearest } from '../util/slug.js';
import { describe, PAGE_SIZE_HELP, parseLengthMm, parsePageSizeMm } from './units.js';
import { PAPERS, SERVICES } from '../print/services.js';

/** Why a value was refused, as the end of a sentence that starts with the key's name. */
export class Refusal {
  constructor(readonly message: string) {}
}

type Reader<T> = (value: unknown) => T | Refusal;

/**
 * A schema field from a reader: a missing or empty value (`key:` with nothing after it) stays undefined
 * and the default applies; a Refusal is an issue.
 */
export function field<T>(read: Reader<T>) {
  return z.unknown().transform((v, ctx): T | undefined => {
    if (v === undefined || v === null) return undefined;
    const r = read(v);
    if (r instanceof Refusal) {
      ctx.issues.push({ code: 'custom', message: r.message, input: v });
      return z.NEVER;
    }
    return r;
  }).optional();
}

const TRUE_WORDS = ['true', 'yes', 'on', 'y'];
const FALSE_WORDS = ['false', 'no', 'off', 'n'];

/** true/false, and the words people write for them (YAML 1.2 reads `no` as a string, not false). */
export const flag = () =>
  field<boolean>((v) => {
    if (typeof v === 'boolean') return v;
    const w = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
    if (w !== undefined && TRUE_WORDS.includes(w)) return true;
    if (w !== undefined && FALSE_WORDS.includes(w)) return false;
    return new Refusal(`must be true or false (yes/no and on/off work too), not ${describe(v)}`);
  });

/** One of a few choices; a near miss names the choice it resembles. */
export const oneOf = <const T extends string | number>(choices: readonly T[], aliases: Record<string, T> = {}) =>
  field<T>((v) => {
    const key = typeof v === 'string' ? v.trim() : v;
    const hit = choices.find((c) => c === key || (typeof c === 'number' && typeof key === 'string' && String(c) === key));
    if (hit !== undefined) return hit;
    const alias = aliases[String(key)];
    if (alias !== undefined) return alias;
    const names = choices.map(String);
    const near = typeof key === 'string' ? nearest(key, names) : undefined;
    const list = names.length === 2 ? `${names[0]} or ${names[1]}` : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
    return new Refusal(`must be ${list}, not ${describe(v)}${near ? ` (did you mean "${near}"?)` : ''}`);
  });

/** A length with a unit ("3mm", "0.125in") from `minMm` to `maxMm`; kept as written. */
export const length = (minMm: number, maxMm: number) =>
  field<string>((v) => {
    const mm = parseLengthMm(v);
    if (typeof mm !== 'number') return new Refusal(mm.error);
    if (mm < minMm || mm > maxMm) return new Refusal(`must be from ${minMm} to ${maxMm} mm, not ${describe(v)}`);
    return String(v).trim();
  });

/** A page size: a preset name or "W x H" with units. */
export const pageSize = () =>
  field<string>((v) => {
    if (typeof v !== 'string' || !parsePageSizeMm(v)) return new Refusal(`is not a page size: ${describe(v)}; ${PAGE_SIZE_HELP}`);
    return v.trim();
  });

/** A time in seconds, more than 0. */
export const seconds = (max: number) =>
  field<number>((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (Number.isNaN(n)) return new Refusal(`must be a number of seconds such as 300, not ${describe(v)}`);
    if (n <= 0 || n > max) return new Refusal(`must be more than 0 and at most ${max} seconds, not ${describe(v)}`);
    return n;
  });

/** A whole number from `min` to `max`, a multiple of `step`. */
export const wholeNumber = (min: number, max: number, step = 1, what = 'a whole number') =>
  field<number>((v) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n)) return new Refusal(`must be ${what}, not ${describe(v)}`);
    if (n % step !== 0) return new Refusal(`must be ${what}, not ${describe(v)}`);
    if (n < min || n > max) return new Refusal(`must be ${what} from ${min} to ${max}, not ${describe(v)}`);
    return n;
  });

/** Text: a string, a number or a date as YAML reads them; anything else is refused. */
export const text = () =>
  field<string | number | Date | { name: unknown }>((v) => {
    if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
    if (v && typeof v === 'object' && !Array.isArray(v) && 'name' in v) return v as { name: unknown };
    return new Refusal(`must be text, not ${describe(v)}`);
  });

/** One item or a list of them (names, keywords). */
export const list = () =>
  field<unknown[]>((v) => {
    const items = Array.isArray(v) ? v : [v];
    const bad = items.find((i) => i !== null && typeof i === 'object' && !(i instanceof Date) && !('name' in i));
    return bad === undefined ? items : new Refusal(`must be a name or a list of names, not a list holding ${describe(bad)}`);
  });

const BCP47 = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;

/** A BCP 47 language tag. */
export const language = () =>
  field<string>((v) => (typeof v === 'string' && BCP47.test(v.trim()) ? v.trim() : new Refusal(`is not a BCP 47 language tag (e.g. en, en-GB, ru): ${describe(v)}`)));

/** A key that a book may not set: `why` says what to do instead. */
export const refused = (why: string) => field<never>(() => new Refusal(why));

/** Book metadata: book.yaml, else the first manuscript file's front matter. */
export const METADATA = {
  title: text(),
  subtitle: text(),
  author: list(),
  lang: language(),
  /** Writing direction; by default from lang (ar, he, fa, ur… are rtl). */
  dir: oneOf(['ltr', 'rtl'] as const),
  date: text(),
  publisher: text(),
  identifier: text(),
  rights: text(),
  description: text(),
  cover: text(),
  /** The publisher's logo, printed on the back of the one-piece print-on-demand cover. */
  logo: text(),
  keywords: list(),
  slug: text(),
};

/** The option sections; each is a mapping in book.yaml (and may be in the first file's front matter). */
export const SECTIONS = {
  pdf: {
    size: pageSize(),
    impose: oneOf(['booklet', 'minizine']),
    signature: wholeNumber(4, 256, 4, 'a multiple of 4 (4, 8, 16, 32…)'),
    creep: length(0, 5),
    bleed: length(0, 20),
    marks: oneOf(['crop']),
    color: oneOf(['color', 'gray'], { grey: 'gray', grayscale: 'gray', colour: 'color' }),
    cover: flag(),
    press: flag(),
    pdfa: flag(),
    timeout: seconds(24 * 3600),
    chapterStart: oneOf(['right', 'page', 'continue']),
    frontMatter: flag(),
    parallel: oneOf(['auto', 'on', 'off'], { true: 'on', false: 'off', yes: 'on', no: 'off' }),
  },
  epub: {
    split: oneOf([1, 2, 'file']),
    notes: oneOf(['chapter', 'book']),
    fonts: flag(),
    imageMaxSide: wholeNumber(200, 10000, 1, 'a whole number of pixels'),
  },
  /** Accessibility: who evaluated the EPUB against EPUB Accessibility 1.1 (a11y:certifiedBy); default the publisher. */
  a11y: {
    certifier: text(),
  },
  /** Print on demand: the service's two files (interior, one-piece cover) to its rules (print/services.ts). */
  print: {
    service: oneOf(SERVICES),
    paper: oneOf(PAPERS, { creme: 'cream', colour: 'color' }),
    /** The spine width a service's template generator gave, instead of the computed one. */
    spine: length(0, 150),
  },
};

/** Keys only book.yaml may hold: they are about the folder and the run, not the text. */
export const PROJECT = {
  chapters: field<string[]>((v) =>
    Array.isArray(v) && v.every((c) => typeof c === 'string') ? (v as string[]) : new Refusal('must be a list of Markdown file names'),
  ),
  /** How automatic heading ids are made: Pandoc's auto_identifiers or GitHub's (parse/ids.ts). */
  ids: oneOf(['pandoc', 'github']),
  chrome: refused('is not read from a book: a book never names the program to run; use --chrome PATH or CHROME_PATH'),
};

/** Pandoc writes these under other names; they are read as the name they stand for. */
export const KEY_ALIASES: Record<string, keyof typeof METADATA> = {
  authors: 'author',
  language: 'lang',
  'cover-image': 'cover',
  abstract: 'description',
  copyright: 'rights',
};

const sectionSchemas = Object.fromEntries(Object.entries(SECTIONS).map(([k, shape]) => [k, z.strictObject(shape).optional()])) as {
  [K in keyof typeof SECTIONS]: z.ZodOptional<z.ZodObject<(typeof SECTIONS)[K], z.core.$strict>>;
};

/** book.yaml, with front matter and flags merged in. */
export const BookSettings = z.strictObject({ ...METADATA, ...PROJECT, ...sectionSchemas });
export type Settings = z.output<typeof BookSettings>;

/** Keys a manuscript file's front matter may hold; the rest are ignored with a warning. */
export const FRONT_MATTER_KEYS: readonly string[] = [...Object.keys(METADATA), ...Object.keys(SECTIONS), ...Object.keys(KEY_ALIASES)];
export const BOOK_YAML_KEYS: readonly string[] = Object.keys(BookSettings.shape);

/** Where a setting came from: a line of a file, or a command-line flag. */
export type Origin = { file: string; line?: number } | { flag: string };

/** Dotted key path → where it was set. */
export type Origins = Map<string, Origin>;

/** Pandoc's names → ours, keeping where each was written. */
export function canonicalKeys(data: Record<string, unknown>, origins?: Origins): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    const name = KEY_ALIASES[k] ?? k;
    out[name] = v;
    const o = origins?.get(k);
    if (o && name !== k) origins!.set(name, o);
  }
  return out;
}

function shapeAt(path: PropertyKey[]): string[] {
  let s: z.ZodType = BookSettings;
  for (const p of path) {
    while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    if (!(s instanceof z.ZodObject)) return [];
    s = (s.shape as Record<string, z.ZodType>)[String(p)]!;
    if (!s) return [];
  }
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Where a path was set: the path itself, else its nearest parent, else `fallback`. */
function originOf(path: string[], origins: Origins, fallback: Origin): Origin {
  for (let n = path.length; n > 0; n--) {
    const o = origins.get(path.slice(0, n).join('.'));
    if (o) return o;
  }
  return fallback;
}

function valueAt(data: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);
}

const at = (o: Origin) => ('file' in o ? { file: o.file, line: o.line } : undefined);

/**
 * Checks `data` against the schema; every problem becomes an error with the file and line (or the
 * flag) it came from. Returns the parsed settings, or undefined when there were errors.
 */
export function resolveSettings(data: Record<string, unknown>, origins: Origins, diags: Diagnostics, fallback: Origin = { file: 'book.yaml' }): Settings | undefined {
  // A section with every line commented out is empty, not a mistake.
  const given = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, k in SECTIONS && v === null ? {} : v]));
  const r = BookSettings.safeParse(given);
  if (r.success) return r.data;
  // In the order of the file, so the messages read like the book.yaml they are about.
  const line = (i: z.core.$ZodIssue) => {
    const o = originOf(i.path.map(String).concat(i.code === 'unrecognized_keys' ? [i.keys[0]!] : []), origins, fallback);
    return 'line' in o ? (o.line ?? 0) : 0;
  };
  for (const issue of [...r.error.issues].sort((a, b) => line(a) - line(b))) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = shapeAt(issue.path);
      for (const key of issue.keys) {
        const full = [...path, key];
        const near = nearest(key, known);
        const dotted = (k: string) => [...path, k].join('.');
        diags.error('unknown-key', `unknown key "${full.join('.')}"${near ? ` (did you mean "${dotted(near)}"?)` : ''}`, at(originOf(full, origins, fallback)));
      }
      continue;
    }
    const origin = originOf(path, origins, fallback);
    const name = 'flag' in origin ? origin.flag : path.join('.');
    const message =
      issue.code === 'invalid_type' && issue.expected === 'object'
        ? `must be a mapping of options (key: value lines indented below it), not ${describe(valueAt(given, path))}`
        : issue.message;
    diags.error('bad-option', `${name} ${message}`, at(origin));
  }
  return undefined;
}
