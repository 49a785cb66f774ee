/**
 * SVG files are read with an XML parser (saxes) and written again without what a book must not
 * carry: no DOCTYPE (EPUB forbids external entities), no processing instructions, no <script>, no
 * <foreignObject>, no event handlers, no reference outside the file (remote or script hrefs on
 * <image>, <use>, <feImage>; links lose their href), CSS filtered like the book's own.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { Diagnostics } from '../diagnostics.js';
import { sanitizeStyleAttribute, sanitizeStylesheet } from '../parse/css.js';

/** Bump when the cleaning changes, so cached SVG variants are made again. */
export const SVG_CLEAN_VERSION = 1;

const DROPPED = new Set(['script', 'foreignobject', 'handler', 'listener', 'iframe', 'embed', 'object', 'audio', 'video']);
/** Elements whose whole point is the thing they refer to. */
const REFERRING = new Set(['image', 'use', 'feimage', 'tref', 'font-face-uri', 'color-profile']);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => esc(s).replace(/"/g, '&quot;');

const localRef = (v: string) => v.trim().startsWith('#') || /^data:image\/(png|jpeg|gif|webp);/i.test(v.trim());
const remoteInValue = (v: string) => /url\s*\(\s*['"]?\s*(?!#)[a-z][a-z0-9+.-]*:|url\s*\(\s*['"]?\s*\/\//i.test(v) && !/url\s*\(\s*['"]?\s*data:/i.test(v);

export class SvgError extends Error {}

/** The cleaned file; throws SvgError when the file is not well-formed XML. */
export function cleanSvg(source: string): string {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  /** Depth of an element being skipped (0: not skipping). */
  let skip = 0;
  /** Per open element: whether its tag was written. */
  const written: boolean[] = [];
  let styleText: string[] | null = null;
  let failure: Error | undefined;

  parser.on('doctype', (dt) => {
    // Internal entity declarations (as some drawing programs write them) still resolve.
    for (const m of dt.matchAll(/<!ENTITY\s+([\w.-]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
      parser.ENTITIES[m[1]!] = m[2] ?? m[3] ?? '';
    }
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = tag.name;
    const local = name.replace(/^.*:/, '').toLowerCase();
    if (skip > 0) {
      if (!tag.isSelfClosing) skip++;
      written.push(false);
      return;
    }
    const attrs = tag.attributes as Record<string, string>;
    const href = attrs['href'] ?? attrs['xlink:href'];
    if (DROPPED.has(local) || (REFERRING.has(local) && href !== undefined && !localRef(href))) {
      if (!tag.isSelfClosing) skip = 1;
      written.push(false);
      return;
    }
    const kept: string[] = [];
    for (const [k, v] of Object.entries(attrs)) {
      const kl = k.toLowerCase();
      if (kl.startsWith('on')) continue;
      if ((kl === 'href' || kl.endsWith(':href')) && !localRef(v)) continue;
      if (kl === 'style') {
        const s = sanitizeStyleAttribute(v);
        if (s) kept.push(`style="${escAttr(s)}"`);
        continue;
      }
      if (remoteInValue(v)) continue;
      kept.push(`${k}="${escAttr(v)}"`);
    }
    // A link without its target is only its content, and a hyperlink in an image has none to give.
    if (local === 'a') {
      written.push(false);
      return;
    }
    out.push(`<${name}${kept.length ? ' ' + kept.join(' ') : ''}>`);
    written.push(true);
    if (local === 'style') styleText = [];
  });
  parser.on('closetag', (tag) => {
    const w = written.pop();
    if (skip > 0) {
      skip--;
      return;
    }
    if (styleText) {
      out.push(esc(sanitizeStylesheet(styleText.join(''), 'svg', new Diagnostics())));
      styleText = null;
    }
    if (w) out.push(`</${tag.name}>`);
  });
  parser.on('text', (t) => {
    if (skip > 0) return;
    if (styleText) styleText.push(t);
    else out.push(esc(t));
  });
  parser.on('cdata', (t) => {
    if (skip > 0) return;
    if (styleText) styleText.push(t);
    else out.push(esc(t));
  });
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.write(source).close();
  if (failure) throw new SvgError(failure.message);
  return out.join('');
}
