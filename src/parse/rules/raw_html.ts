/**
 * raw_html: raw HTML passes only through a sanitiser. Scripts, event handlers, frames, objects and
 * javascript: URLs are removed and reported as errors with file and line (a manuscript must not carry
 * active content into a book); other unknown tags are dropped quietly with their markup.
 */
import type { MarkdownIt } from 'markdown-it';
import type { StateCore } from 'markdown-it';
import type { Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import type { ParseEnv } from '../env.js';

const FORBIDDEN_TAGS = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'applet', 'base', 'form', 'meta', 'link', 'noscript', 'template']);
const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  'img', 'figure', 'figcaption', 'span', 'div', 'sup', 'sub', 'section', 'aside', 'abbr', 'br', 'hr',
  'small', 'mark', 'ins', 'del', 'details', 'summary', 'dl', 'dt', 'dd', 'caption',
];
const ALLOWED_ATTRS = ['id', 'class', 'lang', 'dir', 'title', 'alt', 'src', 'href', 'width', 'height', 'colspan', 'rowspan', 'start', 'reversed', 'type', 'data-*', 'aria-*', 'role'];
const VOID = new Set(['img', 'br', 'hr', 'wbr']);
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { '*': ALLOWED_ATTRS },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
};

interface Problem {
  what: string;
}

/** Lists the active content in a piece of HTML. */
function inspect(html: string): Problem[] {
  const found: Problem[] = [];
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag(name: string, attribs: Record<string, string>) {
      if (FORBIDDEN_TAGS.has(name)) found.push({ what: `<${name}>` });
      for (const [k, v] of Object.entries(attribs)) {
        if (/^on/i.test(k)) found.push({ what: `event handler ${k}="…" on <${name}>` });
        else if (/^\s*(javascript|vbscript|data:text\/html)/i.test(v)) found.push({ what: `${k}="${v.slice(0, 30)}" on <${name}>` });
      }
    },
  } as sanitizeHtml.IOptions);
  return found;
}

/** Re-serialises one inline tag with only its allowed attributes, or '' when the tag is not allowed. */
function cleanInlineTag(tag: string): string {
  const m = /^<\s*(\/?)\s*([a-zA-Z][\w-]*)/.exec(tag);
  if (!m) return tag.startsWith('<!--') ? '' : sanitizeHtml(tag, OPTIONS);
  const [, slash, rawName] = m;
  const name = rawName!.toLowerCase();
  if (!ALLOWED_TAGS.includes(name)) return '';
  if (slash) return `</${name}>`;
  const cleaned = sanitizeHtml(tag + (VOID.has(name) ? '' : `</${name}>`), OPTIONS);
  return VOID.has(name) ? cleaned : cleaned.slice(0, cleaned.length - `</${name}>`.length);
}

export function rawHtmlPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'raw_html', (state: StateCore) => {
    const env = state.env as unknown as ParseEnv;
    const report = (html: string, tok: Token | undefined) => {
      for (const p of inspect(html)) {
        env.diags.error('unsafe-html', `raw HTML with active content removed: ${p.what}`, {
          file: env.file,
          line: tok?.map ? tok.map[0] + 1 : undefined,
        });
      }
    };
    for (const tok of state.tokens) {
      if (tok.type === 'html_block') {
        report(tok.content, tok);
        tok.content = sanitizeHtml(tok.content, OPTIONS);
      } else if (tok.type === 'inline' && tok.children) {
        for (const child of tok.children) {
          if (child.type !== 'html_inline') continue;
          report(child.content, tok);
          child.content = cleanInlineTag(child.content);
        }
      }
    }
  });
}
