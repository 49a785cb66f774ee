/** The XHTML shell of every content document: XML declaration, namespaces, language on the root. */
import { escapeHtml } from '../../render/base.js';

export const STYLESHEET = 'style.css';

export interface XhtmlPage {
  lang: string;
  /** The book's direction; rtl is written on the root (ltr is the default and left out). */
  dir?: 'ltr' | 'rtl';
  title: string;
  body: string;
  /** epub:type of <body> (frontmatter, bodymatter, backmatter), if any. */
  bodyType?: string;
}

export function xhtmlDocument(p: XhtmlPage): string {
  const lang = escapeHtml(p.lang);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${lang}" lang="${lang}"${p.dir === 'rtl' ? ' dir="rtl"' : ''}>
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
