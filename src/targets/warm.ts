/**
 * What a build can start before samizdat's other modules are loaded: the PDF's browser (and the
 * loading of the chosen targets' code, which then goes on while the book is parsed). The command
 * line (cli.ts) calls warmUp before importing the pipeline; it reads book.yaml and the options the
 * way build() will and, only when they are valid and a PDF is wanted, starts Chromium with the
 * book's own settings (pdf/chrome.ts startEarly), so that its start-up overlaps loading the rest of
 * samizdat, parsing and checking the book. A book whose options are wrong starts no browser: build()
 * reports the errors as ever. The PDF target takes the browser; build() closes it when nothing did.
 */
import { Diagnostics } from '../diagnostics.js';
import type { CliFlags } from '../config/options.js';
import { resolveOptions } from '../config/options.js';
import { loadProject } from '../load/project.js';
import { findChrome, startEarly } from './pdf/chrome.js';

export function warmUp(dir: string, flags: CliFlags): void {
  try {
    const diags = new Diagnostics();
    const project = loadProject(dir, diags);
    if (!project || diags.hasErrors()) return;
    const options = resolveOptions(project.root, project.settings, flags, diags, process.env, project.origins);
    if (diags.hasErrors()) return;
    if (options.formats.includes('pdf')) startEarly(findChrome(options.chrome), options.pdf.timeoutMs);
    // The targets' code loads while the book is parsed (which lets it, between files); build() finds it loaded.
    void import('./index.js').then((m) => m.targetsFor(options.formats)).catch(() => undefined);
  } catch {
    // anything wrong is found again, and reported, by build()
  }
}
