/** A BuildContext for print finishing without a real book: a staged PDF and the options that matter. */
import fs from 'node:fs';
import { BuildFacts } from '../../src/model/facts.js';
import os from 'node:os';
import path from 'node:path';
import type { BuildOptions, PdfOptions } from '../../src/config/options.js';
import { Diagnostics } from '../../src/diagnostics.js';
import type { Book } from '../../src/model/types.js';
import { Stage } from '../../src/output/stage.js';
import type { BuildContext } from '../../src/targets/target.js';
import { Logger } from '../../src/util/log.js';

/** `covers`: the PDF target reports that the first and last pages are covers (default true). */
export function printContext(
  pdf: Uint8Array,
  opts: Partial<PdfOptions> & { sourceDateEpoch?: number; covers?: boolean } = {},
): BuildContext & { pdfName: string } {
  const { sourceDateEpoch, covers = true, ...pdfOpts } = opts;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-print-ctx-')), 'dist');
  const stage = new Stage(out);
  stage.write('test-book.pdf', pdf, 'pdf');
  const options = {
    root: path.dirname(out),
    outDir: out,
    formats: ['pdf'],
    quiet: true,
    sourceDateEpoch,
    pdf: { size: 'A5', timeoutMs: 60_000, color: 'color', cover: true, press: false, pdfa: false, ...pdfOpts },
    epub: { split: 1, notes: 'chapter', fonts: false, imageMaxSide: 1600 },
    given: {},
  } as BuildOptions;
  const book = { meta: { slug: 'test-book', title: 'Test book' } } as unknown as Book;
  return {
    book,
    options,
    stage,
    diags: new Diagnostics(),
    log: new Logger(true),
    facts: Object.assign(new BuildFacts(), { covers }),
    signal: new AbortController().signal,
    pdfName: 'test-book.pdf',
  };
}
