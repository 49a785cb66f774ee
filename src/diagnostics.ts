/** Diagnostics are data: collected during a run, printed and counted at the end. */
import type { SourcePos } from './model/types.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  file?: string;
  line?: number;
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(code: string, message: string, at?: Partial<SourcePos>): void {
    this.items.push({ severity: 'error', code, message, file: at?.file, line: at?.line });
  }

  warn(code: string, message: string, at?: Partial<SourcePos>): void {
    this.items.push({ severity: 'warning', code, message, file: at?.file, line: at?.line });
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'warning');
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  return `${where}${d.severity}: ${d.message} [${d.code}]`;
}

/** Thrown when a run must stop; carries the diagnostics collected so far. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'BuildError';
  }
}
