// Start-up progress: one line per process with its state. On a terminal the block is redrawn in
// place; otherwise (CI, pipes) each state change is printed once.
import type { ServiceState } from './supervisor';

const SYMBOLS: Record<ServiceState, string> = { starting: '…', ready: '✔', failed: '✖', stopped: '■' };

export class ProgressDisplay {
  private readonly rows = new Map<string, { state: ServiceState; detail: string }>();
  private drawnLines = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  update(id: string, state: ServiceState, detail = ''): void {
    this.rows.set(id, { state, detail });
    if (this.interactive) this.redraw();
    else this.out.write(`[stratus] ${SYMBOLS[state]} ${id.padEnd(15)} ${state}${detail ? `  ${detail}` : ''}\n`);
  }

  /** Stops redrawing in place (the block stays on screen as it was last drawn). */
  freeze(): void {
    this.drawnLines = 0;
  }

  private redraw(): void {
    if (this.drawnLines > 0) this.out.write(`\x1b[${this.drawnLines}A`);
    for (const [id, row] of this.rows) {
      this.out.write(`\x1b[2K  ${SYMBOLS[row.state]} ${id.padEnd(15)} ${row.state.padEnd(8)} ${row.detail}\n`);
    }
    this.drawnLines = this.rows.size;
  }
}
