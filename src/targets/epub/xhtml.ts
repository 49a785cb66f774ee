/** The XHTML shell of every content document: XML declaration, namespaces, language on the root. */
import { escapeHtml } from '../../render/base.js';

export const STYLESHEET = 'style.css';

export interface XhtmlPage {
  lang: string;
  title: string;
  body: string;
  /** epub:type of <body> (frontmatter, bodymatter, backmatter), if any. */
  bodyType?: string;
}

export function xhtmlDocument(p: XhtmlPage): string {
  const lang = escapeHtml(p.lang);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${lang}" lang="${lang}">
<head>
<title>${escapeHtml(p.title)}</title>
<link rel="stylesheet" type="text/css" href="${STYLESHEET}" />
</head>
<body${p.bodyType ? ` epub:type="${p.bodyType}"` : ''}>
${p.body}
</body>
</html>
`;
}

/** Every `lang="x"` also gets `xml:lang="x"` (the attribute XML processors read). */
export function withXmlLang(html: string): string {
  // Text and attribute values are escaped (no raw `"`), so ` lang="` only occurs as an attribute.
  return html.replace(/(\s)lang="([^"]*)"/g, '$1lang="$2" xml:lang="$2"');
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/**
 * Makes sanitised HTML well-formed XML: every attribute gets a quoted value (`reversed` →
 * `reversed="reversed"`), void elements close themselves, stray named entities become characters.
 */
export function toXhtmlFragment(html: string): string {
  const tagged = html.replace(TAG, (_m, name: string, attrs: string, _slash: string) => {
    const out: string[] = [];
    for (const a of attrs.matchAll(ATTR)) {
      const key = a[1]!;
      const value = a[2] ?? a[3] ?? a[4];
      out.push(`${key}="${value === undefined ? key : value.replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`);
    }
    const close = VOID.has(name.toLowerCase()) ? ' /' : '';
    return `<${name}${out.length ? ' ' + out.join(' ') : ''}${close}>`;
  });
  return tagged.replace(/&nbsp;/g, '\u00a0').replace(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;');
}
