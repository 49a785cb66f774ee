/**
 * Watching a book folder: the folder itself (book.yaml, top-level files) and, recursively, every folder
 * that holds an input (manuscript files, images, styles/). Output and cache folders are ignored.
 * Events are debounced: an editor's save (write, rename, chmod…) is one change.
 */
import fs from 'node:fs';
import path from 'node:path';

const IGNORED = /(^|\/)(dist|\.cache|\.git|node_modules|\.samizdat-staging-[^/]*)(\/|$)|(^|\/)\.[^/]*\.sw[a-p]$|~$|(^|\/)\.#|(^|\/)4913$/;

export interface Watcher {
  /** The folders watched now (absolute). */
  readonly folders: string[];
  /** Watches these folders (recursively) besides the book folder; call after each load. */
  update(folders: string[]): void;
  close(): void;
}

export function watchBook(root: string, onChange: (files: string[]) => void, debounceMs = 60): Watcher {
  const watchers = new Map<string, fs.FSWatcher>();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = (dir: string, name: string | null) => {
    if (closed) return;
    const rel = path.relative(root, path.join(dir, name ?? '')).split(path.sep).join('/');
    if (rel && IGNORED.test(rel)) return;
    pending.add(rel || '.');
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      onChange(files);
    }, debounceMs);
  };
  const add = (dir: string, recursive: boolean) => {
    if (watchers.has(dir)) return;
    try {
      const w = fs.watch(dir, { recursive, persistent: true }, (_event, name) => fire(dir, name === null ? null : String(name)));
      w.on('error', () => {
        w.close();
        watchers.delete(dir);
      });
      watchers.set(dir, w);
    } catch {
      /* a folder that does not exist (yet) is watched through its parent */
    }
  };
  add(root, false);
  return {
    get folders() {
      return [...watchers.keys()];
    },
    update(folders) {
      const want = new Set<string>();
      for (const f of folders) {
        const abs = path.resolve(root, f);
        if (abs === root || !abs.startsWith(root + path.sep) || IGNORED.test(path.relative(root, abs))) continue;
        // The top folder under the book folder, recursively: new files in it are seen too.
        const top = path.join(root, path.relative(root, abs).split(path.sep)[0]!);
        if (fs.existsSync(top) && fs.statSync(top).isDirectory()) want.add(top);
      }
      for (const [dir, w] of watchers) if (dir !== root && !want.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
      for (const dir of want) add(dir, true);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
