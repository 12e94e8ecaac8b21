// Drive the built CLI through a real pseudo-terminal: util-linux `script` allocates the
// pty, we type into it and read the screen back. No native addon needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { bin, root, stateDir } from './cli.js';

export const KEY = { enter: '\r', down: '\x1b[B', up: '\x1b[A', ctrlC: '\x03' };

/** Strip terminal control sequences, leaving what a reader sees line by line. */
export function screenText(raw: string): string {
  return (
    raw
      // Cursor moves and line erases start a new stretch of text on the screen.
      .replace(/\x1b\[[0-9;]*[ABGHK]/g, '\n')
      .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
      .replace(/\r\n/g, '\n')
      .replace(/\r/g, '\n')
  );
}

export class Terminal {
  private raw = '';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>, size = { cols: 80, rows: 40 }) {
    const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const command = `stty cols ${size.cols} rows ${size.rows}; exec '${process.execPath}' '${bin}' ${quoted}`;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_CACHE_HOME: stateDir(), TERM: 'xterm-256color', ...env },
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.child.stderr!.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Everything the program wrote, control sequences included. */
  get output(): string {
    return this.raw;
  }

  get screen(): string {
    return screenText(this.raw);
  }

  /** Wait until `text` has appeared `count` times on the screen. */
  async waitFor(text: string, count = 1, timeoutMs = 20_000): Promise<void> {
    const started = Date.now();
    while (this.screen.split(text).length - 1 < count) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${JSON.stringify(text)} ×${count}; screen ends:\n${this.screen.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    // Let the prompt finish drawing before typing into it.
    await new Promise((r) => setTimeout(r, 150));
  }

  type(...keys: string[]): void {
    this.child.stdin!.write(keys.join(''));
  }
}
