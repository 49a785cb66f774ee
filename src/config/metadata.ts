/** Turns loose front matter / book.yaml values into the typed Metadata of the book model. */
import type { Metadata } from '../model/types.js';
import type { Diagnostics } from '../diagnostics.js';
import { KEY_ALIASES } from './schema.js';
import { fileSlug } from '../util/slug.js';
import { directionOf } from '../i18n/direction.js';

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && !Array.isArray(v) && 'name' in (v as object)) return str((v as { name: unknown }).name);
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/\s*;\s*/) : [v];
  return items.map(str).filter((s): s is string => s !== undefined);
}

const BCP47 = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/;


export function toMetadata(raw: Record<string, unknown>, diags: Diagnostics, where: string): Metadata {
  const s: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) s[KEY_ALIASES[k] ?? k] = v;

  let title = str(s['title']);
  // A title that could not be read is already reported (malformed YAML, unreadable file).
  const yamlFailed = diags.items.some((d) => d.code === 'yaml' || d.code === 'unreadable');
  if (!title && !yamlFailed) {
    diags.error('no-title', 'the book has no title: add "title:" to the front matter or book.yaml', { file: where });
  }
  title ??= 'Untitled';
  // The schema (schema.ts) reports a tag that is not BCP 47; the build stops there, so 'en' is only a placeholder.
  let lang = str(s['lang']) ?? 'en';
  if (!BCP47.test(lang)) lang = 'en';
  // The schema accepts only rtl or ltr; without one, the language decides.
  const dirRaw = str(s['dir']);
  const dir = dirRaw === 'rtl' || dirRaw === 'ltr' ? dirRaw : directionOf(lang);
  const date = str(s['date']);
  if (date && !/^\d{4}(-\d{2}(-\d{2})?)?([T ][\d:.]+Z?)?$/.test(date)) {
    diags.warn('bad-value', `"date: ${date}" is not an ISO date (YYYY-MM-DD)`, { file: where });
  }
  return {
    title,
    subtitle: str(s['subtitle']),
    authors: list(s['author']),
    lang,
    dir,
    date,
    publisher: str(s['publisher']),
    identifier: str(s['identifier']),
    rights: str(s['rights']),
    description: str(s['description']),
    cover: str(s['cover']),
    logo: str(s['logo']),
    keywords: list(s['keywords']),
    slug: fileSlug(str(s['slug']) ?? title),
  };
}
