/** The command-line side of `samizdat preview` and `samizdat build --watch`: run until Ctrl-C, then close everything. */
import type { CliFlags } from '../config/options.js';
import type { Logger } from '../util/log.js';
import { DEFAULT_PORT, startPreview, watchBuild } from './index.js';

export interface PreviewFlags extends CliFlags {
  port?: string;
  host?: string;
  open?: boolean;
  editor?: string;
}

/** Resolves with the exit code once `stop` aborts (Ctrl-C, SIGTERM: src/util/interrupt.ts) and everything is closed. */
export async function watchOrPreview(command: string, dir: string, values: Record<string, string | boolean | undefined>, log: Logger, stop: AbortSignal): Promise<number> {
  const { port, host, open, editor, ...buildFlags } = values as PreviewFlags;
  let closer: () => Promise<void>;
  if (command === 'preview') {
    const n = port === undefined ? DEFAULT_PORT : Number(port);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      log.warn(`samizdat: --port must be a port number, not "${port}"`);
      return 2;
    }
    const running = await startPreview(dir, { port: n, host, open, editor, flags: buildFlags, log });
    closer = () => running.close();
  } else {
    const running = await watchBuild(dir, buildFlags, { log, signal: stop });
    closer = () => running.close();
  }
  await new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
  await closer();
  log.info(`${command === 'preview' ? 'preview' : 'watch'}: stopped`);
  return 0;
}
