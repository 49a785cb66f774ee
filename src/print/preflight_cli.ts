/** `samizdat preflight FILE.pdf [--service NAME] [--paper P] [--pages N] [--kind K] [--json]`. */
import fs from 'node:fs';
import type { Logger } from '../util/log.js';
import { nearest } from '../util/slug.js';
import { formatReport, preflight } from './preflight.js';
import { PAPERS, SERVICES, type Paper, type Service } from './services.js';

type Values = Record<string, string | boolean | undefined>;

function choice<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T | Error {
  if (value === undefined) return fallback;
  if ((choices as readonly unknown[]).includes(value)) return value as T;
  const near = nearest(String(value), choices);
  return new Error(`--${name} must be ${choices.join(', ')}, not "${String(value)}"${near ? ` (did you mean "${near}"?)` : ''}`);
}

export async function runPreflight(file: string | undefined, values: Values, log: Logger): Promise<number> {
  if (!file) {
    log.warn('samizdat preflight: name the PDF to check, e.g. samizdat preflight dist/my-book-interior.pdf --service kdp');
    return 2;
  }
  const service = choice<Service>('service', values['service'], SERVICES, 'shop');
  const paper = choice<Paper>('paper', values['paper'], PAPERS, 'white');
  const kind = choice('kind', values['kind'], ['interior', 'cover'] as const, undefined as unknown as 'interior');
  const pages = values['pages'] === undefined ? undefined : Number(values['pages']);
  for (const v of [service, paper, kind]) if (v instanceof Error) return (log.warn(`samizdat preflight: ${v.message}`), 2);
  if (pages !== undefined && !(Number.isInteger(pages) && pages > 0)) return (log.warn(`samizdat preflight: --pages must be a whole number of pages, not "${String(values['pages'])}"`), 2);
  if (!fs.existsSync(file)) return (log.warn(`samizdat preflight: ${file} does not exist`), 1);
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 5, 0);
  fs.closeSync(fd);
  if (head.toString('latin1') !== '%PDF-') return (log.warn(`samizdat preflight: ${file} is not a PDF`), 1);
  const report = await preflight(file, { service: service as Service, paper: paper as Paper, kind: kind as 'interior' | 'cover' | undefined, interiorPages: pages });
  if (values['json']) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${formatReport(report)}\n`);
  return report.errors ? 1 : 0;
}
