/** The CSS sanitiser (src/parse/css.ts) on a book's stylesheet and on style attributes. */
import { describe, expect, it } from 'vitest';
import { parse } from 'parse5';
import { sanitizeStyleAttribute, sanitizeStylesheet } from '../src/parse/css.js';
import { Diagnostics } from '../src/diagnostics.js';

const HOSTILE = `@import url(http://example.com/remote.css);
@import "local.css";
h1 { color: #222; background: url("https://example.com/bg.png"); }
p::after { content: "</style><script>document.title = 'PWNED'</script>"; }
@font-face { font-family: X; src: url(//cdn.example.com/x.woff2); }
.ok { background-image: url(data:image/png;base64,iVBORw0KGgo=); --v: url(http://example.com/v.png); }
.set { background-image: image-set("https://example.com/a.png" 1x); }
@page :left { @top-center { content: string(title); } margin: 1cm; }
`;

describe('book stylesheets', () => {
  const diags = new Diagnostics();
  const css = sanitizeStylesheet(HOSTILE, 'styles/web.css', diags);

  it('drops every @import and every declaration that would load from outside, with file and line', () => {
    expect(diags.items.map((d) => `${d.severity} ${d.code} ${d.file}:${d.line} ${d.message}`)).toEqual([
      'warning css-dropped styles/web.css:1 @import url(http://example.com/remote.css) is not followed: a book\'s styles load nothing from elsewhere (put the rules into this file)',
      'warning css-dropped styles/web.css:2 @import "local.css" is not followed: a book\'s styles load nothing from elsewhere (put the rules into this file)',
      'warning css-dropped styles/web.css:3 "background" dropped: it would load https://example.com/bg.png from outside the book',
      'warning css-dropped styles/web.css:5 "src" dropped: it would load //cdn.example.com/x.woff2 from outside the book',
      'warning css-dropped styles/web.css:6 "--v" dropped: it would load http://example.com/v.png from outside the book',
      'warning css-dropped styles/web.css:7 "background-image" dropped: it would load https://example.com/a.png from outside the book',
    ]);
    expect(css).not.toContain('example.com');
    expect(css).toContain('url(data:image/png;base64,iVBORw0KGgo=)');
    expect(css).toContain('@page :left{@top-center{content:string(title)}margin:1cm}');
  });

  it('cannot close the <style> element it is inlined into', () => {
    const doc = parse(`<!DOCTYPE html><html><head><style>${css}</style></head><body></body></html>`);
    const head = (doc.childNodes[1] as { childNodes: { nodeName: string; childNodes?: unknown[] }[] }).childNodes[0]!;
    expect(head.childNodes!.map((n) => (n as { nodeName: string }).nodeName)).toEqual(['style']);
    expect(css).toContain(String.raw`content:"<\/style><script>document.title = 'PWNED'<\/script>"`);
  });

  it('filters style attributes the same way, dropping every url()', () => {
    expect(sanitizeStyleAttribute('color: red; background: url(images/x.png); width: expression(alert(1))')).toBe('color:red');
    expect(sanitizeStyleAttribute('}</style><script>x</script>')).not.toMatch(/<\/style|<script/);
  });
});
