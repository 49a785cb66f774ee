/**
 * `samizdat preview` and `samizdat build --watch`: a book folder watched for changes; on each save the
 * book is loaded and checked again and either the live view is told (preview) or dist/ is rebuilt
 * through the same staged build as `samizdat build` (watch). Errors go to the terminal and, in the
 * preview, onto the view over the last good pages.
 *
 * This layer sits beside the targets: it uses the model, the build and the targets' public functions;
 * nothing below imports it.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from '../build.js';
import { BuildError, formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import type { CliFlags } from '../config/options.js';
import { Logger } from '../util/log.js';
import { BookSession } from './session.js';
import { isLoopbackHost, PreviewServer } from './server.js';
import { watchBook, type Watcher } from './watch.js';

export const DEFAULT_PORT = 4747;

export interface PreviewOptions {
  host?: string;
  port?: number;
  /** Opens the system browser (xdg-open, open) on the URL. */
  open?: boolean;
  /** Editor link pattern ({path}, {line}); default SAMIZDAT_EDITOR, else guessed from $EDITOR (editor.ts). */
  editor?: string;
  flags?: CliFlags;
  log?: Logger;
}

export interface RunningPreview {
  url: string;
  port: number;
  session: BookSession;
  server: PreviewServer;
  close(): Promise<void>;
}

/** Folders (relative to the book) that hold the book's inputs: the watcher follows them. */
function inputFolders(session: BookSession): string[] {
  const book = session.book;
  const found = ['manuscript', 'images', 'styles'];
  if (!book) return found;
  for (const f of book.sources) found.push(path.dirname(f));
  for (const a of book.assets.values()) found.push(path.dirname(a.relPath));
  return found;
}

function reportDiagnostics(log: Logger, items: Diagnostic[], seen: Set<string>): void {
  for (const d of items) {
    const line = formatDiagnostic(d);
    if (d.severity === 'warning' && seen.has(line)) continue;
    seen.add(line);
    log.warn(line);
  }
}

export async function startPreview(dir: string, opts: PreviewOptions = {}): Promise<RunningPreview> {
  const log = opts.log ?? new Logger();
  const root = path.resolve(dir);
  const session = new BookSession(root, { flags: opts.flags, log: new Logger(true) });
  session.editor = opts.editor;
  const t0 = performance.now();
  const first = await session.reload();
  const warned = new Set<string>();
  reportDiagnostics(log, first.diagnostics, warned);
  if (first.ok) log.info(`preview: ${session.book?.chapters.length ?? 0} chapter(s) loaded in ${Math.round(performance.now() - t0)} ms`);
  else log.warn('preview: the book has errors; fix them and save — the view updates');

  const host = opts.host ?? '127.0.0.1';
  const server = new PreviewServer(session, { host, port: opts.port ?? DEFAULT_PORT, log });
  const url = await server.listen();
  if (!isLoopbackHost(host)) log.warn(`preview: listening on ${host}: other machines on the network can see the book`);

  let watcher: Watcher | undefined;
  const onChange = async (files: string[]) => {
    const started = performance.now();
    const before = session.state.ok;
    const st = await session.reload();
    watcher?.update(inputFolders(session));
    const ms = Math.round(performance.now() - started);
    if (st.ok) {
      reportDiagnostics(log, st.diagnostics, warned);
      log.info(`preview: ${files.slice(0, 3).join(', ')}${files.length > 3 ? '…' : ''} changed; loaded in ${ms} ms${before ? '' : ' — the errors are fixed'}`);
    } else {
      log.warn(`preview: ${files.slice(0, 3).join(', ')} changed; the book has errors (the view keeps the last good pages):`);
      for (const d of st.diagnostics) if (d.severity === 'error') log.warn('  ' + formatDiagnostic(d));
    }
    server.notify();
  };
  watcher = watchBook(root, (files) => void onChange(files).catch((e: Error) => log.warn(`preview: ${e.message}`)));
  watcher.update(inputFolders(session));

  log.info(`preview: ${url}  (Ctrl-C to stop)`);
  if (opts.open) openBrowser(url, log);
  let closed = false;
  return {
    url,
    port: server.port,
    session,
    server,
    async close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      await server.close();
    },
  };
}

/** The system browser on the URL, if the machine has an opener; nothing is waited for. */
function openBrowser(url: string, log: Logger): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform !== 'win32' && spawnSync('sh', ['-c', `command -v ${opener}`]).status !== 0) {
    log.warn(`preview: --open: no ${opener} on this machine; open ${url} yourself`);
    return;
  }
  const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => log.warn(`preview: could not run ${opener}; open ${url} yourself`));
  child.unref();
}

export interface WatchBuild {
  /** Resolves after each build (for tests): the number of builds so far. */
  builds: number;
  close(): Promise<void>;
  /** Settles when the build running now (if any) is done. */
  idle(): Promise<void>;
}

/**
 * `samizdat build --watch`: builds once, then again after each save. Each build is the ordinary staged
 * build (outputs move into dist/ only when every format succeeded), so dist/ never holds a half-written
 * file; a save that breaks the book leaves the last good outputs and prints the errors.
 */
export async function watchBuild(dir: string, flags: CliFlags, opts: { log?: Logger; signal?: AbortSignal; onBuilt?: (ok: boolean) => void } = {}): Promise<WatchBuild> {
  const log = opts.log ?? new Logger(!!flags.quiet);
  const root = path.resolve(dir);
  const session = new BookSession(root, { flags, log: new Logger(true) });
  let controller = new AbortController();
  let running: Promise<void> = Promise.resolve();
  let queued = false;
  let closed = false;
  const state = { builds: 0 };
  const runOnce = async () => {
    controller = new AbortController();
    if (opts.signal?.aborted) return;
    opts.signal?.addEventListener('abort', () => controller.abort(opts.signal?.reason), { once: true });
    const started = Date.now();
    let ok = false;
    try {
      const result = await build(root, flags, { log, signal: controller.signal });
      for (const d of result.diags.items) log.warn(formatDiagnostic(d));
      log.info(`watch: built ${result.files.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for changes (Ctrl-C to stop)`);
      ok = true;
    } catch (e) {
      if (e instanceof BuildError) {
        for (const d of e.diagnostics) log.warn(formatDiagnostic(d));
        log.warn(`watch: ${e.message}; dist/ keeps the last good build`);
      } else log.warn(`watch: ${(e as Error).message}`);
    }
    state.builds++;
    opts.onBuilt?.(ok);
  };
  const schedule = () => {
    if (closed) return;
    if (queued) return;
    queued = true;
    running = running.then(async () => {
      queued = false;
      if (!closed) await runOnce();
    });
  };
  schedule();
  await running;
  // The watcher follows the inputs' folders, read from the book as it loads.
  await session.reload();
  const watcher = watchBook(root, (files) => {
    if (files.every((f) => f === 'dist' || f.startsWith('dist/'))) return;
    log.info(`watch: ${files.slice(0, 3).join(', ')} changed`);
    void session.reload().then(() => watcher.update(inputFolders(session)));
    schedule();
  });
  watcher.update(inputFolders(session));
  return {
    get builds() {
      return state.builds;
    },
    idle: () => running,
    async close() {
      closed = true;
      watcher.close();
      controller.abort(new Error('interrupted'));
      await running.catch(() => undefined);
    },
  };
}
