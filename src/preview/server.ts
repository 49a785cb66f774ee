/**
 * The preview's HTTP server: loopback only unless a host is asked for, and only for pages whose Host
 * header names a loopback address (a DNS-rebinding page on another name gets 403). It serves the
 * viewer, the layout units, the patched Paged.js, the tool's fonts, the image variants, the web and
 * EPUB editions, files inside the book folder (symlinks out of it refused), and a stream of events.
 */
import fs from 'node:fs';
import { BuildFacts } from '../model/facts.js';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { isInside } from '../util/paths.js';
import { servedFontFile } from '../assets/fonts.js';
import { PAGED_SETTINGS, patchedPolyfill } from '../targets/pdf/pagedjs_patches/index.js';
import { pageHooksSource } from '../targets/pdf/pagedjs_fixes.js';
import { FLOAT_HOOK_SOURCE } from '../targets/pdf/floats.js';
import { renderWebPage } from '../targets/html/page.js';
import { webImagePath } from '../targets/html/rules.js';
import { epubTarget } from '../targets/epub/index.js';
import { imageVariants } from '../assets/images.js';
import { readTheme } from '../styles.js';
import { Stage } from '../output/stage.js';
import { Diagnostics } from '../diagnostics.js';
import { Logger } from '../util/log.js';
import type { BuildContext } from '../targets/target.js';
import { escapeHtml } from '../render/base.js';
import type { BookSession } from './session.js';
import { editorLink } from './editor.js';

/** The view's own files: plain browser code, served as is (npm run build:js copies them beside lib/preview/). */
const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
const PROGRESS = '__samizdatPageLaidOut';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.xhtml': 'application/xhtml+xml; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml',
  '.avif': 'image/avif', '.md': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.yaml': 'text/plain; charset=utf-8',
};
const typeOf = (p: string) => TYPES[path.extname(p).toLowerCase()] ?? 'application/octet-stream';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The host name of a Host header (no port), lower case; undefined when there is none. */
export function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d+$/, '');
}

/** Whether a Host header may reach the server bound to `bindHost`. */
export function hostAllowed(header: string | undefined, bindHost: string): boolean {
  const name = hostName(header);
  if (!name) return false;
  if (LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name)) return true;
  // Asked for with --host: the machine's other names and addresses reach it on purpose.
  return !isLoopbackHost(bindHost);
}

export const isLoopbackHost = (h: string) => LOOPBACK_NAMES.has(h) || /^127\./.test(h);

/** A file inside `root`, following symlinks only while they stay inside; else undefined. */
export function fileInside(root: string, rel: string): string | undefined {
  if (rel.includes('\0')) return undefined;
  const abs = path.resolve(root, rel);
  if (!isInside(root, abs)) return undefined;
  try {
    const real = fs.realpathSync(abs);
    if (!isInside(fs.realpathSync(root), real) || !fs.statSync(real).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

export interface PreviewServerOptions {
  host: string;
  port: number;
  /** How many ports after `port` to try when it is taken. */
  tries?: number;
  log: Logger;
}

interface Edition {
  rev: number;
  files: Map<string, Buffer>;
  spine: string[];
  error?: string;
}

export class PreviewServer {
  readonly server: http.Server;
  private clients = new Set<http.ServerResponse>();
  /**
   * Layouts the browser ran, per unit key and in all (the test and the log count them); from: the first
   * page laid out (1 for a whole unit); kept false: a layout from a page on that came out otherwise.
   */
  readonly layouts = { total: 0, byKey: new Map<string, number>(), last: [] as { key: string; ms: number; pages: number; from: number; kept: boolean }[] };
  private web?: { rev: number; html: string; images: Map<string, string> };
  private epub?: Promise<Edition>;
  private heartbeat?: NodeJS.Timeout;
  url = '';
  /** Names this run of the server in the URLs of its scripts (cached by the browser until a restart). */
  readonly version = Date.now().toString(36);

  constructor(
    private readonly session: BookSession,
    private readonly opts: PreviewServerOptions,
  ) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`samizdat preview: ${e.message}`);
      });
    });
  }

  /** Listens on the first free port from opts.port on; returns the URL. */
  async listen(): Promise<string> {
    const tries = this.opts.tries ?? 20;
    for (let i = 0; ; i++) {
      const port = this.opts.port === 0 ? 0 : this.opts.port + i;
      try {
        await new Promise<void>((resolve, reject) => {
          const onError = (e: Error) => {
            this.server.removeListener('listening', onListening);
            reject(e);
          };
          const onListening = () => {
            this.server.removeListener('error', onError);
            resolve();
          };
          this.server.once('error', onError);
          this.server.once('listening', onListening);
          this.server.listen(port, this.opts.host);
        });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || i + 1 >= tries || this.opts.port === 0) throw e;
        if (i === 0) this.opts.log.info(`preview: port ${port} is in use, trying the next ones`);
      }
    }
    const addr = this.server.address() as AddressInfo;
    const shown = this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host === '0.0.0.0' ? os.hostname() : this.opts.host;
    this.url = `http://${shown}:${addr.port}/`;
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.write(': keep-alive\n\n');
    }, 15000);
    this.heartbeat.unref();
    return this.url;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Tells every open view that the state changed. */
  notify(): void {
    const data = JSON.stringify({ rev: this.session.state.rev, ok: this.session.state.ok });
    for (const c of this.clients) c.write(`event: state\ndata: ${data}\n\n`);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.end();
    this.clients.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, this.opts.host)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('samizdat preview answers only requests for a loopback host name (127.0.0.1, localhost)');
      return;
    }
    // Another site's page in the same browser may send requests here; it may not change anything.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = req.headers.origin;
      if (origin !== undefined && hostName(new URL(origin, 'http://x').host) !== hostName(req.headers.host)) return this.send(res, 403, 'forbidden');
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let p: string;
    try {
      p = decodeURIComponent(url.pathname);
    } catch {
      return this.send(res, 400, 'bad path');
    }
    if (p.split('/').includes('..')) return this.send(res, 403, 'forbidden');
    const s = this.session;
    const noStore = { 'cache-control': 'no-store' };

    if (p === '/') {
      const html = fs.readFileSync(path.join(CLIENT_DIR, 'viewer.html'), 'utf8').replace('/_preview/viewer.js', `/_preview/viewer.js?v=${this.version}`);
      return this.sendBody(res, 200, 'text/html; charset=utf-8', html, noStore);
    }
    // The view's scripts change only with samizdat: cached for the life of this server (?v= names the run).
    const cached = { 'cache-control': url.searchParams.get('v') === this.version ? 'max-age=86400, immutable' : 'no-store' };
    if (p === '/_preview/viewer.js' || p === '/_preview/unit.js' || p === '/_preview/viewer.css') return this.sendFile(res, path.join(CLIENT_DIR, path.basename(p)), cached);
    if (p === '/_preview/paged.js') return this.sendBody(res, 200, 'text/javascript; charset=utf-8', patchedPolyfill(), cached);
    if (p === '/_preview/hooks.js') {
      const body = `window.PagedConfig = { auto: false, settings: ${JSON.stringify(PAGED_SETTINGS)} };\nwindow.${PROGRESS} = () => {};\nwindow.__samizdatHooks = ${JSON.stringify(`${pageHooksSource(PROGRESS)};\n${FLOAT_HOOK_SOURCE};`)};\n`;
      return this.sendBody(res, 200, 'text/javascript; charset=utf-8', body, cached);
    }
    if (p === '/_preview/state') {
      return this.sendBody(res, 200, 'application/json', JSON.stringify({ ...s.state, title: s.book?.meta.title ?? '', lang: s.book?.meta.lang ?? 'en' }), noStore);
    }
    if (p === '/_preview/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`event: state\ndata: ${JSON.stringify({ rev: s.state.rev, ok: s.state.ok })}\n\n`);
      this.clients.add(res);
      req.on('close', () => this.clients.delete(res));
      return;
    }
    const unit = /^\/_preview\/unit\/([0-9a-f]+)\.html$/.exec(p);
    if (unit) {
      const u = s.unit(unit[1]!);
      if (!u) return this.send(res, 404, 'no such unit (the book changed)');
      // The layout driver goes in before the book's own markup, as in the PDF build.
      const v = `?v=${this.version}`;
      const driver = `<script src="/_preview/hooks.js${v}"></script>\n<script src="/_preview/paged.js${v}"></script>\n<script src="/_preview/unit.js${v}"></script>\n`;
      // ?chapter=N (a layout from a page on, in chapter N): the book from that chapter on.
      const chapter = Number(url.searchParams.get('chapter'));
      const html = u.from && url.searchParams.has('chapter') && Number.isInteger(chapter) ? u.from(chapter) : u.html;
      return this.sendBody(res, 200, 'text/html; charset=utf-8', html.replace('<meta charset="utf-8">', () => `<meta charset="utf-8">\n${driver}`), noStore);
    }
    if (p === '/_preview/laid' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req)) as { key: string; ms: number; pages: number; from?: number; kept?: boolean };
      const from = Number.isInteger(body.from) ? body.from! : 1;
      this.layouts.total++;
      this.layouts.byKey.set(body.key, (this.layouts.byKey.get(body.key) ?? 0) + 1);
      this.layouts.last.push({ key: body.key, ms: body.ms, pages: body.pages, from, kept: body.kept !== false });
      if (this.layouts.last.length > 200) this.layouts.last.shift();
      const u = s.state.units.find((x) => x.key === body.key);
      const what = u ? (u.kind === 'chapter' ? `chapter ${u.chapter + 1} (${u.title})` : u.title) : body.key;
      const part = from > 1 ? ` from page ${from}${body.kept === false ? ' (that page came out otherwise: the whole book again)' : ''}` : '';
      this.opts.log.info(`preview: laid out ${what}${part}: ${body.pages} page(s) in ${Math.round(body.ms)} ms`);
      return this.sendBody(res, 200, 'application/json', '{}');
    }
    if (p === '/_preview/numbers' && req.method === 'POST') {
      const numbers = JSON.parse(await readBody(req)) as Record<string, number>;
      if (s.setTocNumbers(numbers)) this.notify();
      return this.sendBody(res, 200, 'application/json', '{}');
    }
    if (p === '/_preview/stats') {
      const byUnit = s.state.units.map((u) => ({ key: u.key, kind: u.kind, chapter: u.chapter, title: u.title, layouts: this.layouts.byKey.get(u.key) ?? 0 }));
      return this.sendBody(res, 200, 'application/json', JSON.stringify({ total: this.layouts.total, units: byUnit, last: this.layouts.last.slice(-20) }), noStore);
    }
    if (p === '/_preview/source') {
      const key = url.searchParams.get('key') ?? '';
      const num = (k: string) => (url.searchParams.has(k) ? Number(url.searchParams.get(k)) : undefined);
      const at = s.sourceOf(key, num('b'), num('note'));
      if (!at) return this.send(res, 404, 'unknown place');
      const abs = path.join(s.book?.root ?? s.dir, at.file);
      return this.sendBody(res, 200, 'application/json', JSON.stringify({ ...at, path: abs, link: editorLink(abs, at.line, s.editor) }), noStore);
    }
    if (p.startsWith('/_tool/fonts/')) {
      const f = servedFontFile(p.slice('/_tool/fonts/'.length));
      return f ? this.sendFile(res, f, { 'cache-control': 'max-age=86400' }) : this.send(res, 404, 'not found');
    }
    if (p.startsWith('/_img/')) {
      const v = s.variants.get(p.split('/')[2] ?? '');
      // Variant names carry their content hash: a changed image has a new URL.
      return v && p.split('/')[3] === v.name ? this.sendFile(res, v.file, { 'cache-control': 'max-age=86400, immutable' }) : this.send(res, 404, 'not found');
    }
    if (p === '/web' || p === '/web/') return this.sendWeb(res);
    if (p.startsWith('/web/')) {
      const f = this.web?.images.get(p.slice('/web/'.length));
      return f ? this.sendFile(res, f) : this.send(res, 404, 'not found');
    }
    if (p === '/epub' || p === '/epub/') return this.sendEpubReader(res);
    if (p.startsWith('/epub/')) {
      const ed = await this.epubEdition();
      const data = ed.files.get(p.slice('/epub/'.length));
      return data ? this.sendBody(res, 200, typeOf(p), data, noStore) : this.send(res, 404, 'not found');
    }
    if (p.startsWith('/book/')) {
      const root = s.book?.root ?? path.resolve(s.dir);
      const f = fileInside(root, p.slice('/book/'.length));
      return f ? this.sendFile(res, f, noStore) : this.send(res, 404, 'not found in the book folder');
    }
    if (p === '/favicon.ico') return this.send(res, 404, 'none');
    return this.send(res, 404, 'not found');
  }

  private send(res: http.ServerResponse, status: number, text: string): void {
    this.sendBody(res, status, 'text/plain; charset=utf-8', text);
  }

  private sendBody(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', ...headers });
    res.end(body);
  }

  private sendFile(res: http.ServerResponse, file: string, headers: Record<string, string> = {}): void {
    fs.readFile(file, (err, data) => {
      if (err) return this.send(res, 404, 'not found');
      this.sendBody(res, 200, typeOf(file), data, headers);
    });
  }

  private buildContext(): BuildContext {
    const s = this.session;
    return { book: s.book!, options: s.options!, diags: new Diagnostics(), log: new Logger(true), facts: new BuildFacts(), signal: new AbortController().signal } as unknown as BuildContext;
  }

  /** The web edition of the last good load, as the html target renders it. */
  private async sendWeb(res: http.ServerResponse): Promise<void> {
    const s = this.session;
    if (!s.book) return this.send(res, 503, 'the book has not loaded yet');
    if (this.web?.rev !== s.state.rev) {
      const variants = await imageVariants(this.buildContext(), 'html');
      const images = new Map([...variants.values()].map((v) => [webImagePath(v), v.file]));
      this.web = { rev: s.state.rev, html: renderWebPage(s.book, readTheme(s.book, 'web.css'), variants), images };
    }
    this.sendBody(res, 200, 'text/html; charset=utf-8', this.web.html, { 'cache-control': 'no-store' });
  }

  /** The EPUB of the last good load, built by the epub target into a throw-away stage and unpacked. */
  private epubEdition(): Promise<Edition> {
    const s = this.session;
    const rev = s.state.rev;
    const cached = this.epub;
    if (cached) {
      return cached.then((e) => (e.rev === rev ? e : ((this.epub = undefined), this.epubEdition())));
    }
    const made = (async (): Promise<Edition> => {
      if (!s.book) return { rev, files: new Map(), spine: [], error: 'the book has not loaded yet' };
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-preview-epub-'));
      const stage = new Stage(tmp);
      try {
        const ctx = { ...this.buildContext(), stage };
        await epubTarget.build(ctx);
        const zip = await JSZip.loadAsync(stage.read(`${s.book.meta.slug}.epub`));
        const files = new Map<string, Buffer>();
        for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) files.set(name, await entry.async('nodebuffer'));
        return { rev, files, spine: spineOf(files) };
      } catch (e) {
        return { rev, files: new Map(), spine: [], error: (e as Error).message };
      } finally {
        stage.abort();
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    })();
    this.epub = made;
    return made;
  }

  private async sendEpubReader(res: http.ServerResponse): Promise<void> {
    const ed = await this.epubEdition();
    const items = ed.spine.map((href, i) => `<li><a href="/epub/${encodeURI(href)}" target="doc"${i === 0 ? ' class="current"' : ''}>${escapeHtml(path.basename(href))}</a></li>`).join('\n');
    const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>EPUB view</title><link rel="stylesheet" href="/_preview/viewer.css"></head>
<body class="epub-reader">
<nav class="epub-spine"><p>${ed.error ? `The EPUB could not be made: ${escapeHtml(ed.error)}` : 'Content documents, in reading order'}</p><ol>${items}</ol></nav>
<iframe name="doc" class="epub-doc" title="EPUB content document" src="${ed.spine[0] ? `/epub/${encodeURI(ed.spine[0])}` : 'about:blank'}"></iframe>
</body></html>`;
    this.sendBody(res, 200, 'text/html; charset=utf-8', html, { 'cache-control': 'no-store' });
  }
}

/** The elements of an XML document, in order: name (without prefix) and attributes. */
function xmlElements(text: string): { name: string; attributes: Record<string, string> }[] {
  const out: { name: string; attributes: Record<string, string> }[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (t) => out.push({ name: t.name.replace(/^.*:/, ''), attributes: t.attributes as Record<string, string> }));
  parser.write(text).close();
  return out;
}

/** The spine of an unpacked EPUB, as paths inside the archive, from META-INF/container.xml and the OPF. */
function spineOf(files: Map<string, Buffer>): string[] {
  const container = files.get('META-INF/container.xml');
  const opfPath = container ? xmlElements(container.toString('utf8')).find((e) => e.name === 'rootfile')?.attributes['full-path'] : undefined;
  const opf = opfPath ? files.get(opfPath) : undefined;
  if (!opfPath || !opf) return [];
  const elements = xmlElements(opf.toString('utf8'));
  const hrefs = new Map(elements.filter((e) => e.name === 'item').map((e) => [e.attributes['id'], e.attributes['href']]));
  const dir = path.posix.dirname(opfPath);
  return elements
    .filter((e) => e.name === 'itemref')
    .map((e) => hrefs.get(e.attributes['idref']))
    .filter((h): h is string => !!h)
    .map((h) => path.posix.join(dir, decodeURIComponent(h)));
}

function readBody(req: http.IncomingMessage, limit = 1 << 20): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
