/**
 * Outputs are written to a staging folder and moved into the output folder only when the whole build
 * succeeded, so a failed or interrupted build never leaves a half-written file in dist/.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface StagedFile {
  /** Name relative to the output folder. */
  name: string;
  format: string;
}

export class Stage {
  readonly dir: string;
  readonly files: StagedFile[] = [];
  private readonly createdOut: boolean;
  private done = false;

  constructor(readonly outDir: string) {
    this.createdOut = !fs.existsSync(outDir);
    this.dir = path.join(outDir, `.samizdat-staging-${process.pid}`);
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
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

  /** Moves every staged file into the output folder (replacing older ones) and removes the stage. */
  commit(): string[] {
    const moved: string[] = [];
    const walk = (rel: string) => {
      const abs = path.join(this.dir, rel);
      for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
        const r = path.join(rel, e.name);
        if (e.isDirectory()) walk(r);
        else {
          const dest = path.join(this.outDir, r);
          fs.mkdirSync(path.dirname(dest), { recursive: true });
          fs.renameSync(path.join(this.dir, r), dest);
          moved.push(r.split(path.sep).join('/'));
        }
      }
    };
    walk('');
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.done = true;
    return moved.sort();
  }

  /** Throws everything away; removes the output folder too when this build created it and it is empty. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    fs.rmSync(this.dir, { recursive: true, force: true });
    if (this.createdOut && fs.existsSync(this.outDir) && fs.readdirSync(this.outDir).length === 0) fs.rmdirSync(this.outDir);
  }
}
