/**
 * samizdat's command line: build, check, init, verify, help. Each command declares its arguments and
 * options (COMMANDS); an unknown command or option is one line naming the nearest known one, then the
 * usage, exit 2. A problem with the book is a message with file and line, exit 1 — never a stack trace
 * unless --debug. The heavy modules (the build, the browser, sharp) load only when a command needs them,
 * so `--version` and `--help` answer at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BuildError, formatDiagnostic, type Diagnostic } from './diagnostics.js';
import { Logger } from './util/log.js';
import { nearest } from './util/slug.js';
import { packageVersion } from './util/package_files.js';
import { timings } from './util/timing.js';
import { describeFsError, isFsError } from './util/fs_errors.js';
import { watchSignals, type SignalWatch } from './util/interrupt.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder of the value in the help text. */
  value?: string;
  help: string;
}

type Values = Record<string, string | boolean | undefined>;

export interface CommandRun {
  values: Values;
  positionals: string[];
  log: Logger;
  /** Ctrl-C, SIGTERM, SIGHUP: aborted when one arrives (interrupt.ts stops the browser and cleans up). */
  signal: AbortSignal;
}

export interface Command {
  summary: string;
  /** Positional arguments as the usage line shows them, e.g. "[DIR]". */
  args: string;
  /** How many positional arguments it takes at most. */
  maxArgs: number;
  options: Record<string, OptionSpec>;
  run(r: CommandRun): Promise<number>;
}

/** Options every command takes. */
const COMMON: Record<string, OptionSpec> = {
  quiet: { type: 'boolean', short: 'q', help: 'print only warnings and errors' },
  debug: { type: 'boolean', help: 'show the stack trace of an error (for bug reports)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** The options of build, and of check, which checks against the same options. */
export const BUILD_OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', short: 'o', value: 'DIR', help: 'output folder (default DIR/dist)' },
  format: { type: 'string', short: 'f', value: 'LIST', help: 'any of html,pdf,epub (default all)' },
  size: { type: 'string', value: 'SIZE', help: 'page size: A5, A6, A7, A4, letter, half-letter, 6x9in or "W x H" (default A5)' },
  chrome: { type: 'string', value: 'PATH', help: 'Chromium/Chrome to lay out the PDF with' },
  grayscale: { type: 'boolean', help: 'photocopy mode: gray photos and theme' },
  impose: { type: 'string', value: 'KIND', help: 'booklet or minizine imposition' },
  signature: { type: 'string', value: 'N', help: 'booklet signatures of N pages (a multiple of 4)' },
  press: { type: 'boolean', help: 'PDF/X copy for printers (needs Ghostscript)' },
  pdfa: { type: 'boolean', help: 'PDF/A-2b copy for archives (needs Ghostscript)' },
  reproducible: { type: 'boolean', help: 'pin dates to the edition date when SOURCE_DATE_EPOCH is unset' },
  service: { type: 'string', value: 'NAME', help: 'print on demand: kdp, ingramspark, lulu or shop — writes <slug>-interior.pdf and <slug>-cover.pdf to its rules' },
  paper: { type: 'string', value: 'PAPER', help: 'with --service: white (default), cream or color — the spine width follows from it' },
};

/** The build options that change the print view (the rest are about output files). */
const BUILD_OPTIONS_FOR_PREVIEW: Record<string, OptionSpec> = Object.fromEntries(
  ['size', 'grayscale', 'impose'].map((k) => [k, BUILD_OPTIONS[k]!]),
);

function printDiagnostics(items: Diagnostic[], log: Logger): void {
  for (const d of items) log.warn(formatDiagnostic(d));
}

export const COMMANDS: Record<string, Command> = {
  build: {
    summary: 'build the PDF, EPUB and web edition of the book in DIR (default .)',
    args: '[DIR]',
    maxArgs: 1,
    options: { ...BUILD_OPTIONS, watch: { type: 'boolean', help: 'build again on every save until Ctrl-C (dist/ only ever gets complete builds)' } },
    async run({ values, positionals, log, signal }) {
      if (values['watch'] === true) {
        const { watchOrPreview } = await import('./preview/cli.js');
        const { watch: _watch, ...flags } = values;
        return await watchOrPreview('build', positionals[0] ?? '.', flags, log, signal);
      }
      // The PDF's browser starts before the rest of samizdat is even loaded (build() takes it).
      const { warmUp } = await import('./targets/warm.js');
      warmUp(positionals[0] ?? '.', values);
      const { build } = await import('./build.js');
      const result = await build(positionals[0] ?? '.', values, { log, signal });
      printDiagnostics(result.diags.items, log);
      for (const f of result.files) log.info(`wrote ${path.join(path.relative(process.cwd(), result.options.outDir) || '.', f)}`);
      return 0;
    },
  },
  check: {
    summary: 'run every check of build (not the layout) with the same options; writes nothing',
    args: '[DIR]',
    maxArgs: 1,
    options: BUILD_OPTIONS,
    async run({ values, positionals, log, signal }) {
      const { prepareChecked } = await import('./build.js');
      const { diags } = await prepareChecked(positionals[0] ?? '.', values, signal, { readOnly: true });
      printDiagnostics(diags.items, log);
      log.info(`check: no errors, ${diags.warnings.length} warning(s)`);
      return 0;
    },
  },
  preview: {
    summary: 'live view of the book in DIR (default .) in the browser: pages update as you save',
    args: '[DIR]',
    maxArgs: 1,
    options: {
      ...BUILD_OPTIONS_FOR_PREVIEW,
      port: { type: 'string', short: 'p', value: 'N', help: 'port (default 4747; the next free one when it is taken)' },
      host: { type: 'string', value: 'HOST', help: 'listen on HOST instead of 127.0.0.1 — reachable from other machines' },
      open: { type: 'boolean', help: 'open the system browser on the preview' },
      editor: { type: 'string', value: 'PATTERN', help: 'link from a clicked paragraph to your editor, e.g. "vscode://file/{path}:{line}" (default: SAMIZDAT_EDITOR, else from $EDITOR)' },
    },
    async run({ values, positionals, log, signal }) {
      const { watchOrPreview } = await import('./preview/cli.js');
      return await watchOrPreview('preview', positionals[0] ?? '.', values, log, signal);
    },
  },
  init: {
    summary: 'start a new book folder in DIR (default .): book.yaml, a manuscript, a picture',
    args: '[DIR]',
    maxArgs: 1,
    options: {},
    async run({ positionals, log }) {
      const { initBook } = await import('./init.js');
      const dir = positionals[0] ?? '.';
      const written = await initBook(dir);
      for (const f of written) log.info(`wrote ${path.join(dir, f)}`);
      const cd = path.resolve(dir) === process.cwd() ? '' : `cd ${JSON.stringify(dir).slice(1, -1)} && `;
      log.info(`\nnext: ${cd}samizdat build`);
      return 0;
    },
  },
  preflight: {
    summary: 'check FILE.pdf against a print service’s rules (trim, bleed, ppi, colour, ink, fonts, marks, pages)',
    args: 'FILE.pdf',
    maxArgs: 1,
    options: {
      service: { type: 'string', value: 'NAME', help: 'kdp, ingramspark, lulu or shop (default shop)' },
      paper: { type: 'string', value: 'PAPER', help: 'white, cream or color: for the spine of a cover (default white)' },
      pages: { type: 'string', value: 'N', help: 'for a cover: the interior’s page count, to check the spine width' },
      kind: { type: 'string', value: 'KIND', help: 'interior or cover (default: a single page wider than tall is a cover)' },
      json: { type: 'boolean', help: 'the report as JSON' },
    },
    async run({ values, positionals, log }) {
      const { runPreflight } = await import('./print/preflight_cli.js');
      return await runPreflight(positionals[0], values, log);
    },
  },
  verify: {
    summary: 'recompute the hashes in DIST/manifest.json (default dist)',
    args: '[DIST]',
    maxArgs: 1,
    options: {},
    async run({ positionals, log }) {
      const { verify } = await import('./verify.js');
      return await verify(positionals[0] ?? 'dist', log);
    },
  },
  help: {
    summary: 'show the help of a command',
    args: '[COMMAND]',
    maxArgs: 1,
    options: {},
    async run({ positionals }) {
      const name = positionals[0];
      if (name === undefined) {
        process.stdout.write(usage());
        return 0;
      }
      const cmd = COMMANDS[name];
      if (!cmd) return unknownCommand(name);
      process.stdout.write(commandUsage(name));
      return 0;
    },
  },
};

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${left.padEnd(22)} ${o.help}`;
  });
}

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  samizdat ${`${name} ${c.args}`.padEnd(18)} ${c.summary}`);
  return [
    'samizdat — Markdown manuscript to print-ready PDF, EPUB 3 and a web edition',
    '',
    'Usage:',
    ...lines,
    '',
    '  samizdat --version       print the version',
    '  samizdat help COMMAND    options of a command (or: samizdat COMMAND --help)',
    '',
  ].join('\n');
}

export function commandUsage(name: string): string {
  const c = COMMANDS[name]!;
  return [`Usage: samizdat ${name} ${c.args}${Object.keys(c.options).length ? ' [options]' : ''}`, '', `  ${c.summary}`, '', 'Options:', ...optionLines({ ...c.options, ...COMMON }), ''].join('\n');
}

/** A mistake in the command line itself: one line, then the usage; exit 2. */
function usageError(message: string, help: string): number {
  process.stderr.write(`samizdat: ${message}\n\n${help}`);
  return 2;
}

function unknownCommand(name: string): number {
  const near = nearest(name, Object.keys(COMMANDS));
  // `samizdat my-zine`: a folder where the command goes.
  const folder = !near && fs.existsSync(name) && fs.statSync(name).isDirectory();
  const hint = near ? ` (did you mean "${near}"?)` : folder ? ` (to build the book in it: samizdat build ${name})` : '';
  return usageError(`unknown command "${name}"${hint}`, usage());
}

const ALL_OPTIONS: Record<string, OptionSpec> = Object.assign({}, COMMON, ...Object.values(COMMANDS).map((c) => c.options), {
  version: { type: 'boolean', short: 'v', help: 'print the version' },
});

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    tokens: true,
    options: Object.fromEntries(Object.entries(ALL_OPTIONS).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}) }])),
  });
  const debug = parsed.values['debug'] === true;
  const [name, ...positionals] = parsed.positionals;
  if (parsed.values['version'] === true) {
    process.stdout.write(`samizdat ${packageVersion('samizdat')}\n`);
    return 0;
  }
  if (name === undefined) {
    if (parsed.values['help'] === true) {
      process.stdout.write(usage());
      return 0;
    }
    return usageError('no command given', usage());
  }
  const cmd = COMMANDS[name];
  if (!cmd) return unknownCommand(name);

  // Every option must be one this command takes, with a value when it needs one.
  const allowed = { ...cmd.options, ...COMMON };
  const help = commandUsage(name);
  for (const t of parsed.tokens) {
    if (t.kind !== 'option') continue;
    const spec = allowed[t.name];
    const shown = t.rawName;
    if (!spec) {
      const near = nearest(t.name, Object.keys(allowed));
      return usageError(`unknown option ${shown} for "${name}"${near ? ` (did you mean --${near}?)` : ''}`, help);
    }
    if (spec.type === 'string' && (t.value === undefined || t.value === '')) return usageError(`option ${shown} needs a value (${shown} ${spec.value ?? 'VALUE'})`, help);
    if (spec.type === 'boolean' && t.value !== undefined) return usageError(`option ${shown} takes no value (got "${t.value}")`, help);
  }
  if (parsed.values['help'] === true) {
    process.stdout.write(help);
    return 0;
  }
  if (positionals.length > cmd.maxArgs) {
    return usageError(`"${name}" takes ${cmd.args}, not ${positionals.map((p) => JSON.stringify(p)).join(' ')}`, help);
  }
  const values = Object.fromEntries(Object.keys(cmd.options).map((k) => [k, parsed.values[k]])) as Values;
  if (parsed.values['quiet'] === true) values['quiet'] = true;
  const log = new Logger(values['quiet'] === true);
  // Ctrl-C, SIGTERM, SIGHUP: the running step stops, the browser and the staging folder go (interrupt.ts).
  const signals = watchSignals((sig) => log.warn(`samizdat: ${sig} received, stopping…`));
  try {
    return await cmd.run({ values, positionals, log, signal: signals.signal });
  } catch (e) {
    return reportError(e, log, debug, signals);
  } finally {
    signals.dispose();
  }
}

/** A problem the user can act on is a message; anything else says it is a bug. Stack traces only with --debug. */
function reportError(e: unknown, log: Logger, debug: boolean, signals: SignalWatch): number {
  const err = e instanceof Error ? e : new Error(String(e));
  if (signals.received) {
    log.warn(`samizdat: interrupted by ${signals.received}; nothing was written`);
    if (debug && err.stack) log.warn(err.stack);
    return signals.exitCode!;
  }
  if (err instanceof BuildError) {
    printDiagnostics(err.diagnostics, log);
    log.warn(`samizdat: ${err.message}; nothing was written`);
  } else if (isFsError(err)) {
    // Never a raw system error: file-system errors become a sentence with the path.
    log.warn(`samizdat: ${describeFsError(err)}`);
  } else if ((err as { user?: boolean }).user === true) {
    log.warn(`samizdat: ${err.message}`);
  } else {
    log.warn(`samizdat: internal error: ${err.message}${debug ? '' : ' (run again with --debug to see where; please report it)'}`);
  }
  if (debug && err.stack) log.warn(err.stack);
  return 1;
}

/** Runs main() for the installed command (bin/samizdat.js) and exits with its code. */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (process.env['SAMIZDAT_TIMINGS']) fs.writeFileSync(process.env['SAMIZDAT_TIMINGS'], JSON.stringify(timings()));
      process.exit(code);
    },
    (e: unknown) => {
      process.stderr.write(`samizdat: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}

const isMain = process.argv[1] && path.resolve(process.argv[1]).replace(/\.[jt]s$/, '') === path.resolve(import.meta.filename ?? '').replace(/\.[jt]s$/, '');
if (isMain) run(process.argv.slice(2));
