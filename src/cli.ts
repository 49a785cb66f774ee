#!/usr/bin/env -S npx tsx
/** samizdat's command line: build, check, verify. */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { build, prepareChecked } from './build.js';
import { BuildError, formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { Logger } from './util/log.js';
import { timings } from './util/timing.js';
import { describeFsError, isFsError } from './util/fs_errors.js';
import { watchSignals } from './util/interrupt.js';
import fs from 'node:fs';

const USAGE = `samizdat — Markdown manuscript to print-ready PDF and EPUB 3

Usage:
  samizdat build [DIR] [--out OUT] [--format html,pdf,epub] [options]
  samizdat check [DIR]
  samizdat verify [DIST]     recompute the hashes in DIST/manifest.json (default dist)

Build options:
  --out DIR            output folder (default DIR/dist)
  --format LIST        any of html,pdf,epub (default all)
  --size SIZE          page size: A5, A6, A4, letter, half-letter, 6x9in or "W x H" (default A5)
  --chrome PATH        Chromium/Chrome to lay out the PDF with
  --grayscale          photocopy mode: gray photos and theme
  --impose KIND        booklet or minizine imposition
  --signature N        booklet signatures of N pages
  --press              PDF/X copy for printers (needs Ghostscript)
  --pdfa               PDF/A-2b copy for archives (needs Ghostscript)
  --reproducible       pin dates to the edition date when SOURCE_DATE_EPOCH is unset
  --quiet              print only warnings and errors
`;

function printDiagnostics(items: Diagnostic[], log: Logger): void {
  for (const d of items) log.warn(formatDiagnostic(d));
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      size: { type: 'string' },
      chrome: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      grayscale: { type: 'boolean' },
      impose: { type: 'string' },
      signature: { type: 'string' },
      press: { type: 'boolean' },
      pdfa: { type: 'boolean' },
      reproducible: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, dir = '.'] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const log = new Logger(!!values.quiet);
  // Ctrl-C, SIGTERM, SIGHUP: the running step stops, the browser and the staging folder go (interrupt.ts).
  const signals = watchSignals((sig) => log.warn(`samizdat: ${sig} received, stopping…`));
  try {
    if (command === 'check') {
      const { diags } = await prepareChecked(dir, {}, signals.signal);
      printDiagnostics(diags.items, log);
      log.info(`check: no errors, ${diags.warnings.length} warning(s)`);
      return 0;
    }
    if (command === 'build') {
      const result = await build(dir, values, { log, signal: signals.signal });
      printDiagnostics(result.diags.items, log);
      for (const f of result.files) log.info(`wrote ${path.join(path.relative(process.cwd(), result.options.outDir) || '.', f)}`);
      return 0;
    }
    if (command === 'verify') {
      const { verify } = await import('./verify.js');
      return await verify(positionals[1] ?? 'dist', log);
    }
    log.warn(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  } catch (e) {
    if (signals.received) {
      log.warn(`samizdat: interrupted by ${signals.received}; nothing was written`);
      return signals.exitCode!;
    }
    if (e instanceof BuildError) {
      printDiagnostics(e.diagnostics, log);
      log.warn(`samizdat: ${e.message}; nothing was written`);
      return 1;
    }
    // Never a raw system error: file-system errors become a sentence with the path.
    log.warn(`samizdat: ${isFsError(e) ? describeFsError(e) : (e as Error).message}`);
    return 1;
  } finally {
    signals.dispose();
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, '') === path.resolve(import.meta.filename ?? '').replace(/\.ts$/, '');
if (isMain) {
  main(process.argv.slice(2)).then((code) => {
    if (process.env['SAMIZDAT_TIMINGS']) fs.writeFileSync(process.env['SAMIZDAT_TIMINGS'], JSON.stringify(timings()));
    process.exit(code);
  });
}
