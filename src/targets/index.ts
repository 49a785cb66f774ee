/**
 * The targets, in the order they run (the EPUB may use what the PDF learned about pages). Each is
 * loaded when a build asks for it: a PDF-only build does not load the EPUB's zip and template code
 * (nor an EPUB-only one the browser's), which matters while Chromium starts beside it.
 */
import type { Format } from '../config/options.js';
import type { Target } from './target.js';

const ORDER: Format[] = ['html', 'pdf', 'epub'];

const LOAD: Record<Format, () => Promise<Target>> = {
  html: async () => (await import('./html/index.js')).htmlTarget,
  pdf: async () => (await import('./pdf/index.js')).pdfTarget,
  epub: async () => (await import('./epub/index.js')).epubTarget,
};

export function targetsFor(formats: readonly Format[]): Promise<Target[]> {
  return Promise.all(ORDER.filter((f) => formats.includes(f)).map((f) => LOAD[f]()));
}
