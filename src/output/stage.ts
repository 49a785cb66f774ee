/**
 * Outputs are written to a staging folder and moved into the output folder only when the whole build
 * succeeded, so a failed or interrupted build never leaves a half-written file in dist/.
 *
 * The move is one step as far as the output folder can tell: every destination is checked before
 * anything moves (a file where a folder must go, a folder where a file must go, a link), then each
 * older output is set aside and the new one moved in; should a move still fail, everything moved so far
 * is moved back and the older outputs restored. The staging folder goes however the process ends
 * (interrupt.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BuildError } from '../diagnostics.js';
import { atExit } from '../util/interrupt.js';
import { describeFsError } from '../util/fs_errors.js';
import { isInside } from '../util/paths.js';

export interface StagedFile {
  /** Name relative to the output folder. */
  name: string;
  format: string;
}

/** The real path of `p`, for a path that may not exist yet: its nearest existing ancestor resolved. */
function realish(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  for (let cur = abs; ; cur = path.dirname(cur)) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      if (path.dirname(cur) === cur) return abs;
      rest.push(path.basename(cur));
    }
  }
}

/** Folders of the book that the build reads: an output folder inside one of them would feed the next build. */
const SOURCE_FOLDERS = ['manuscript', 'images', 'styles'];

/**
 * Refuses an output folder that would overwrite or mix with the book: the book folder itself, a folder
 * that contains it, or one inside manuscript/, images/ or styles/ (compared as real paths).
 */
export function checkOutDir(root: string, outDir: string, shown = outDir): void {
  const out = realish(outDir);
  const book = realish(root);
  if (out === book) throw new BuildError(`the output folder ${shown} is the book folder itself; outputs would overwrite the book (use the default dist/ or another --out)`);
  if (isInside(out, book)) throw new BuildError(`the output folder ${shown} contains the book folder; choose a folder beside or inside it (the default is dist/)`);
  for (const f of SOURCE_FOLDERS) {
    if (isInside(path.join(book, f), out)) throw new BuildError(`the output folder ${shown} is inside the book's ${f}/ folder; outputs would become part of the book (the default is dist/)`);
  }
}

export class Stage {
  readonly dir: string;
  readonly files: StagedFile[] = [];
  private readonly createdOut: boolean;
  private done = false;
  private readonly release: () => void;

  constructor(readonly outDir: string) {
    this.createdOut = !fs.existsSync(outDir);
    this.dir = path.join(outDir, `.samizdat-staging-${process.pid}`);
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (e) {
      throw new BuildError(`cannot create the output folder: ${describeFsError(e, outDir)}`);
    }
    // However the process ends before commit or abort (an error, Ctrl-C), the staging folder goes.
    this.release = atExit(() => this.removeStaging());
  }

  path(name: string): string {
    const p = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    return p;
  }

  write(name: string, data: string | Uint8Array, format: string): string {
    const p = this.path(name);
    fs.writeFileSync(p, data);
    this.add(name, format);
    return p;
  }

  /** Records a file a tool wrote itself at `this.path(name)`. */
  add(name: string, format: string): void {
    if (!this.files.some((f) => f.name === name)) this.files.push({ name, format });
  }

  read(name: string): Buffer {
    return fs.readFileSync(path.join(this.dir, name));
  }

  /** Every staged file, relative to the stage (OS separators), sorted. */
  private staged(): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(this.dir, rel), { withFileTypes: true })) {
        const r = path.join(rel, e.name);
        if (e.isDirectory()) walk(r);
        else out.push(r);
      }
    };
    walk('');
    return out.sort();
  }

  /** Where `rel` cannot go in the output folder, as a sentence; undefined when it can. */
  private conflict(rel: string): string | undefined {
    const shown = (p: string) => path.join(this.outDir, p);
    const parts = rel.split(path.sep);
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join(path.sep);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(path.join(this.outDir, dir));
      } catch {
        return undefined; // the folder does not exist yet: it will be made
      }
      if (st.isSymbolicLink()) return `${shown(dir)} is a symbolic link where samizdat writes a folder; remove it or choose another --out`;
      if (!st.isDirectory()) return `${shown(dir)} is a file where samizdat writes a folder; move it away or choose another --out`;
    }
    try {
      if (fs.lstatSync(path.join(this.outDir, rel)).isDirectory()) return `${shown(rel)} is a folder where samizdat writes a file; move it away or choose another --out`;
    } catch {
      // absent: fine
    }
    return undefined;
  }

  /**
   * Moves every staged file into the output folder (replacing older ones) and removes the stage; all or
   * nothing (see the file comment). Throws BuildError naming the path when something is in the way.
   */
  commit(): string[] {
    const files = this.staged();
    const conflicts = files.map((r) => this.conflict(r)).filter((c): c is string => !!c);
    if (conflicts.length) throw new BuildError([...new Set(conflicts)].join('; '));
    const previous = `${this.dir}-previous`;
    const moved: { rel: string; hadOld: boolean }[] = [];
    const madeDirs: string[] = [];
    try {
      for (const rel of files) {
        const dest = path.join(this.outDir, rel);
        const made = fs.mkdirSync(path.dirname(dest), { recursive: true });
        if (made) madeDirs.push(made);
        let hadOld = false;
        if (exists(dest)) {
          const keep = path.join(previous, rel);
          fs.mkdirSync(path.dirname(keep), { recursive: true });
          fs.renameSync(dest, keep);
          hadOld = true;
        }
        moved.push({ rel, hadOld });
        fs.renameSync(path.join(this.dir, rel), dest);
      }
    } catch (e) {
      // Back as it was: new files out, older ones in.
      for (const { rel, hadOld } of moved.reverse()) {
        const dest = path.join(this.outDir, rel);
        try {
          if (exists(dest) && !exists(path.join(this.dir, rel))) fs.renameSync(dest, path.join(this.dir, rel));
          if (hadOld) fs.renameSync(path.join(previous, rel), dest);
        } catch {
          // best effort; the staging folder keeps what could not go back
        }
      }
      for (const d of madeDirs.reverse()) fs.rmSync(d, { recursive: true, force: true });
      fs.rmSync(previous, { recursive: true, force: true });
      throw new BuildError(`the outputs could not be moved into ${this.outDir}: ${describeFsError(e)}; the output folder was left as it was`);
    }
    fs.rmSync(previous, { recursive: true, force: true });
    this.removeStaging();
    this.done = true;
    this.release();
    return files.map((r) => r.split(path.sep).join('/'));
  }

  private removeStaging(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(`${this.dir}-previous`, { recursive: true, force: true });
  }

  /** Throws everything away; removes the output folder too when this build created it and it is empty. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.removeStaging();
    this.release();
    if (this.createdOut && fs.existsSync(this.outDir) && fs.readdirSync(this.outDir).length === 0) fs.rmdirSync(this.outDir);
  }
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
