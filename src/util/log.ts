/** Terminal output: messages, and progress that redraws on a TTY and stays to a few lines elsewhere. */
export class Logger {
  private lastProgress = '';
  private lastNonTtyStep = -1;

  constructor(
    readonly quiet = false,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  info(msg: string): void {
    if (this.quiet) return;
    this.clearProgress();
    this.stream.write(msg + '\n');
  }

  warn(msg: string): void {
    this.clearProgress();
    this.stream.write(msg + '\n');
  }

  /** Progress of a long step. Without a TTY, prints at most one line per quarter of the work. */
  progress(label: string, done: number, total?: number, extra = ''): void {
    if (this.quiet) return;
    const text = `${label}: ${done}${total ? `/${total}` : ''}${extra ? ` ${extra}` : ''}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[K${text}`);
      this.lastProgress = text;
      return;
    }
    const step = total ? Math.floor((done / total) * 4) : Math.floor(done / 100);
    if (step !== this.lastNonTtyStep) {
      this.lastNonTtyStep = step;
      this.stream.write(text + '\n');
    }
  }

  endProgress(): void {
    this.clearProgress();
    this.lastNonTtyStep = -1;
  }

  private clearProgress(): void {
    if (this.lastProgress && this.stream.isTTY) this.stream.write('\r\x1b[K');
    this.lastProgress = '';
  }
}
