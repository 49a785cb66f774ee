/**
 * Ctrl-C and friends. A build holds things that must not outlive it: the browser's process group, its
 * profile folder in the temp directory, the staging folder in the output folder. Each registers a
 * synchronous cleanup here (atExit); the cleanups run when the holder releases them, and otherwise when
 * the process exits, however it exits (process.exit, end of the event loop, a signal).
 *
 * Signals (SIGINT, SIGTERM, SIGHUP) are handled once per command: the first aborts the build's
 * AbortSignal, so the step that is running stops at its next checkpoint, releases what it holds and the
 * command returns 128 + the signal's number. Should it not have ended within GRACE_MS (a step that
 * does not listen), or should a second signal come, the cleanups run at once and the process exits
 * with that code: nothing is left behind either way.
 */
import { setTimeout as sleep } from 'node:timers/promises';

const cleanups = new Set<() => void>();
let exitHooked = false;

/** Registers a synchronous cleanup; returns the function that runs it now (once) and unregisters it. */
export function atExit(fn: () => void): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', runCleanups);
  }
  const entry = () => {
    if (!cleanups.delete(entry)) return;
    try {
      fn();
    } catch {
      // best effort: the process is ending
    }
  };
  cleanups.add(entry);
  return entry;
}

/** Runs every registered cleanup now. */
export function runCleanups(): void {
  for (const fn of [...cleanups]) fn();
}

export const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
const SIGNALS = Object.keys(SIGNAL_EXIT) as NodeJS.Signals[];

/** How long the build may take to stop by itself after a signal before cleanups run and the process exits. */
export const GRACE_MS = 8000;

export interface SignalWatch {
  readonly signal: AbortSignal;
  /** The signal that arrived, if one did. */
  readonly received: NodeJS.Signals | undefined;
  /** The exit code for the received signal (128 + its number). */
  readonly exitCode: number | undefined;
  dispose(): void;
}

/**
 * Watches SIGINT, SIGTERM and SIGHUP for the length of one command. `onSignal` is told once (e.g. to
 * print "interrupted"). The handlers stay installed until dispose, so a second Ctrl-C never falls back to
 * Node's default (die at once, leaving the browser running).
 */
export function watchSignals(onSignal?: (sig: NodeJS.Signals) => void): SignalWatch {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let timer: NodeJS.Timeout | undefined;
  const exitNow = (code: number) => {
    runCleanups();
    process.exit(code);
  };
  const handler = (sig: NodeJS.Signals) => {
    if (received) {
      exitNow(SIGNAL_EXIT[received]!);
      return;
    }
    received = sig;
    onSignal?.(sig);
    controller.abort(new Error(`interrupted by ${sig}`));
    timer = setTimeout(() => exitNow(SIGNAL_EXIT[sig]!), GRACE_MS);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    get exitCode() {
      return received ? SIGNAL_EXIT[received] : undefined;
    },
    dispose() {
      clearTimeout(timer);
      for (const s of SIGNALS) process.removeListener(s, handler);
    },
  };
}

/** Thrown by checkpoint() when the build was interrupted. */
export class Interrupted extends Error {
  constructor(reason?: unknown) {
    super(reason instanceof Error ? reason.message : 'interrupted');
    this.name = 'Interrupted';
  }
}

/**
 * A point where a long synchronous step lets the event loop run (so a signal handler can), then stops
 * when the build was interrupted. For tests, SAMIZDAT_HOLD_AT=<step> makes the step named `step` wait
 * here (printing `samizdat: holding at <step>` once) until it is interrupted: the moment to send a signal.
 */
export async function checkpoint(signal: AbortSignal | undefined, step?: string): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new Interrupted(signal.reason);
  if (step && signal && process.env['SAMIZDAT_HOLD_AT'] === step) {
    process.stderr.write(`samizdat: holding at ${step}\n`);
    while (!signal.aborted) await sleep(20);
    throw new Interrupted(signal.reason);
  }
}
