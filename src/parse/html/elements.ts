/**
 * The allow-list of raw HTML: which elements a manuscript may write, what each may contain, which
 * attributes survive, and how presentational attributes (width, align, bgcolor, border…) become CSS.
 * Everything not listed here is refused (active content), dropped with its content (media, forms,
 * SVG/MathML written inline) or, for names that are no HTML element at all, kept as text.
 */
import { sanitizeStyleAttribute } from '../css.js';

/** Active content: an error, removed with everything inside it. */
export const FORBIDDEN = new Set([
  'script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'applet', 'base', 'form', 'meta', 'link', 'noscript',
  'template', 'portal', 'fencedframe',
]);

/** Known elements samizdat cannot carry into a book: dropped with their content, with a warning. */
export const DROPPED_WITH_CONTENT = new Set([
  'svg', 'math', 'video', 'audio', 'canvas', 'select', 'textarea', 'style', 'title', 'head', 'map', 'datalist',
  'optgroup', 'option', 'output', 'progress', 'meter', 'dialog', 'slot', 'xmp', 'noembed', 'noframes', 'plaintext',
  'param', 'source', 'track', 'area', 'input', 'button', 'keygen', 'menuitem', 'bgsound', 'image', 'isindex',
]);

/** Elements whose content the HTML tokenizer must read as text (not as tags). */
export const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title', 'plaintext']);

/** Known elements whose tag is dropped but whose text is kept. */
export const UNWRAPPED = new Set(['html', 'body', 'label', 'marquee', 'blink', 'legend', 'fieldset', 'hgroup', 'search', 'picture', 'slot', 'optgroup']);

/** Old or rarely valid names written as their modern equivalent. */
export const RENAMED: Record<string, string> = {
  tt: 'code', strike: 's', big: 'span', acronym: 'abbr', font: 'span', nobr: 'span', center: 'div', main: 'div',
  article: 'section', menu: 'ul', dir: 'ul', listing: 'pre', spacer: 'span',
};

/** Text-level elements kept as they are (img, a and br are handled apart). */
export const PHRASING = new Set([
  'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'i', 'ins', 'del', 'kbd', 'mark', 'q', 's', 'samp',
  'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'ruby', 'rt', 'rp', 'a', 'img', 'br', 'wbr',
]);

/** Blocks that hold other blocks (flow content). */
export const FLOW = new Set([
  'div', 'section', 'aside', 'header', 'footer', 'nav', 'address', 'blockquote', 'figure', 'figcaption', 'details',
  'li', 'dd', 'td', 'th',
]);

/** Blocks that hold only text-level content. */
export const PHRASING_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'dt', 'summary', 'caption']);

/** Blocks that hold only certain children. */
export const STRUCTURAL: Record<string, readonly string[]> = {
  ul: ['li'],
  ol: ['li'],
  dl: ['dt', 'dd'],
  table: ['caption', 'colgroup', 'thead', 'tbody', 'tfoot', 'tr'],
  thead: ['tr'],
  tbody: ['tr'],
  tfoot: ['tr'],
  tr: ['td', 'th'],
  colgroup: ['col'],
};

/** The parents an element needs; without one it is opened implicitly (first entry) or unwrapped. */
export const PARENTS: Record<string, { parents: readonly string[]; implied?: string }> = {
  li: { parents: ['ul', 'ol'], implied: 'ul' },
  dt: { parents: ['dl'], implied: 'dl' },
  dd: { parents: ['dl'], implied: 'dl' },
  tr: { parents: ['table', 'thead', 'tbody', 'tfoot'], implied: 'table' },
  td: { parents: ['tr'], implied: 'tr' },
  th: { parents: ['tr'], implied: 'tr' },
  thead: { parents: ['table'] },
  tbody: { parents: ['table'] },
  tfoot: { parents: ['table'] },
  caption: { parents: ['table'] },
  colgroup: { parents: ['table'] },
  col: { parents: ['colgroup', 'table'] },
  figcaption: { parents: ['figure'] },
  summary: { parents: ['details'] },
  rt: { parents: ['ruby'] },
  rp: { parents: ['ruby'] },
};

/** When text or a block arrives in a structural element, the child opened for it. */
export const IMPLIED_CHILD: Record<string, string> = { ul: 'li', ol: 'li', dl: 'dd', table: 'tr', thead: 'tr', tbody: 'tr', tfoot: 'tr', tr: 'td' };

/** Opening one of these closes an open sibling of the same group (an HTML parser's implied end tags). */
export const SIBLING_GROUPS: readonly (readonly string[])[] = [['li'], ['dt', 'dd'], ['tr'], ['td', 'th'], ['thead', 'tbody', 'tfoot'], ['rt', 'rp']];

export const VOID = new Set(['br', 'wbr', 'hr', 'img', 'col']);

/** Every element name HTML knows; any other name (`<stdio.h>`, `<T>`, `<my-widget>`) is text. */
export const KNOWN = new Set([
  ...FORBIDDEN, ...DROPPED_WITH_CONTENT, ...UNWRAPPED, ...Object.keys(RENAMED), ...PHRASING, ...FLOW, ...PHRASING_BLOCKS,
  ...Object.keys(STRUCTURAL), 'hr', 'col', 'head', 'body', 'html',
]);

/** What an element may contain. */
export type Content = 'flow' | 'phrasing' | 'structural';
export function contentOf(name: string): Content {
  if (STRUCTURAL[name]) return 'structural';
  if (PHRASING_BLOCKS.has(name) || PHRASING.has(name)) return 'phrasing';
  return 'flow';
}

const GLOBAL_ATTRS = new Set(['id', 'class', 'lang', 'title', 'dir', 'translate']);
const ELEMENT_ATTRS: Record<string, readonly string[]> = {
  a: ['href', 'hreflang'],
  img: ['src', 'alt', 'width', 'height'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
  time: ['datetime'],
  del: ['datetime', 'cite'],
  ins: ['datetime', 'cite'],
  q: ['cite'],
  blockquote: ['cite'],
  details: ['open'],
  data: ['value'],
};

/** Attribute values with a fixed form; anything else is dropped. */
const VALUE_FORMS: Record<string, RegExp> = {
  dir: /^(ltr|rtl|auto)$/i,
  translate: /^(yes|no)$/i,
  start: /^-?\d+$/,
  value: /^-?\d+$/,
  colspan: /^[1-9]\d{0,3}$/,
  rowspan: /^\d{1,4}$/,
  span: /^[1-9]\d{0,3}$/,
  width: /^\d+$/,
  height: /^\d+$/,
  type: /^[1aAiI]$/,
  scope: /^(row|col|rowgroup|colgroup)$/,
  reversed: /^(|reversed)$/i,
  open: /^(|open)$/i,
};
const BOOLEAN = new Set(['reversed', 'open']);

const LENGTH = /^\s*(\d+(?:\.\d+)?)\s*(%|px)?\s*$/i;
const COLOR = /^\s*(#[0-9a-f]{3,8}|[a-z]{3,20})\s*$/i;
const length = (v: string): string | undefined => {
  const m = LENGTH.exec(v);
  return m ? `${m[1]}${m[2] === '%' ? '%' : 'px'}` : undefined;
};

/** Presentational attributes as CSS declarations (undefined: dropped). */
function presentational(el: string, name: string, value: string): string | undefined {
  const v = value.trim().toLowerCase();
  switch (name) {
    case 'width':
    case 'height': {
      const l = length(v);
      return l ? `${name}: ${l}` : undefined;
    }
    case 'align':
      if (el === 'img') return v === 'left' || v === 'right' ? `float: ${v}` : v === 'middle' || v === 'top' || v === 'bottom' ? `vertical-align: ${v}` : undefined;
      if (el === 'table') return v === 'center' ? 'margin-left: auto; margin-right: auto' : v === 'left' || v === 'right' ? `float: ${v}` : undefined;
      return /^(left|right|center|justify)$/.test(v) ? `text-align: ${v}` : undefined;
    case 'valign':
      return /^(top|middle|bottom|baseline)$/.test(v) ? `vertical-align: ${v}` : undefined;
    case 'bgcolor':
      return COLOR.test(value) ? `background-color: ${value.trim()}` : undefined;
    case 'color':
      return el === 'font' && COLOR.test(value) ? `color: ${value.trim()}` : undefined;
    case 'border': {
      const l = length(v || '1');
      return l && l !== '0px' ? `border: ${l} solid` : undefined;
    }
    case 'nowrap':
      return 'white-space: nowrap';
    case 'type':
      return el === 'ul' && /^(disc|circle|square)$/.test(v) ? `list-style-type: ${v}` : undefined;
    default:
      return undefined;
  }
}

export interface CleanAttrs {
  attrs: [string, string][];
  /** Active content found (event handlers, script URLs), for an error. */
  unsafe: string[];
}

const SCRIPT_URL = /^\s*(javascript|vbscript|livescript|data\s*:\s*text\/html|data\s*:\s*image\/svg)/i;

/**
 * The attributes an element keeps, in a stable order: allowed ones checked against their form,
 * presentational ones (and the author's style, filtered) as one style attribute, the rest dropped.
 * `el` is the element's name as written (font, center…), `as` the one it is written as.
 */
export function cleanAttributes(el: string, as: string, attrs: readonly { name: string; value: string }[]): CleanAttrs {
  const out: [string, string][] = [];
  const unsafe: string[] = [];
  const css: string[] = [];
  const allowed = ELEMENT_ATTRS[as] ?? [];
  for (const { name, value } of attrs) {
    if (/^on/i.test(name)) {
      unsafe.push(`event handler ${name}="…" on <${el}>`);
      continue;
    }
    if (SCRIPT_URL.test(value.replace(/[\u0000-\u0020]/g, '')) && /^(href|src|action|formaction|xlink:href|cite|data|background|poster|srcset)$/i.test(name)) {
      unsafe.push(`${name}="${value.slice(0, 30)}" on <${el}>`);
      continue;
    }
    if (name === 'style') {
      const s = sanitizeStyleAttribute(value);
      if (s) css.push(s);
      continue;
    }
    if (name === 'name' && el === 'a' && !attrs.some((a) => a.name === 'id')) {
      if (/^[^\s]+$/.test(value)) out.push(['id', value]);
      continue;
    }
    if (/^data-[a-z0-9_.-]+$/.test(name) || name === 'aria-label') {
      out.push([name, value]);
      continue;
    }
    if (GLOBAL_ATTRS.has(name) || allowed.includes(name)) {
      const form = VALUE_FORMS[name];
      if (name === 'id' && !/^[^\s]+$/.test(value)) continue;
      if (name === 'class') {
        const classes = value.split(/\s+/).filter((c) => /^[^\s"'<>&]+$/.test(c));
        if (classes.length) out.push(['class', classes.join(' ')]);
        continue;
      }
      if (form && !form.test(value)) {
        const p = presentational(el, name, value);
        if (p) css.push(p);
        continue;
      }
      out.push([name, BOOLEAN.has(name) ? name : value]);
      continue;
    }
    const p = presentational(el, name, value);
    if (p) css.push(p);
  }
  if (el === 'center') css.unshift('text-align: center');
  if (css.length) out.push(['style', css.join('; ')]);
  return { attrs: out, unsafe };
}
