/**
 * An interactive kubectl session on a real pseudo-terminal: util-linux `script` runs kubectl on a
 * pty (so `kubectl exec -it` / `run -it` get a terminal and raw mode as for a user), the test
 * types lines and waits for what the remote shell prints, expect-style. Used by the seed 003/004
 * network tests (`kubectl exec -it test-pod -- /bin/bash`, `kubectl run busybox --tty -i`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { KUBECTL, type Serve } from './harness';

const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

export class TtySession {
  readonly child: ChildProcess;
  /** Everything the terminal showed, CRLF turned into \n. */
  out = '';
  /** Where the next expect() starts looking. */
  private mark = 0;
  readonly exited: Promise<number>;

  constructor(s: Serve, args: string[], bin: string = KUBECTL.default) {
    const cmd = [bin, '--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, ...args].map(quote).join(' ');
    // -q quiet, -f flush every write, -e return kubectl's exit code; the transcript goes nowhere.
    this.child = spawn('script', ['-qfec', cmd, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: s.kubeconfig, TERM: 'xterm' },
    });
    const add = (d: Buffer) => (this.out += d.toString().replace(/\r\n/g, '\n'));
    this.child.stdout!.on('data', add);
    this.child.stderr!.on('data', add);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code ?? -1)));
  }

  /** Waits until the output since the last match matches `what`; returns that output (up to the match's end). */
  async expect(what: RegExp | string, ms = 20_000): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const rest = this.out.slice(this.mark);
      const i = typeof what === 'string' ? rest.indexOf(what) : rest.search(what);
      if (i >= 0) {
        const len = typeof what === 'string' ? what.length : (rest.slice(i).match(what)?.[0].length ?? 0);
        this.mark += i + len;
        return rest.slice(0, i + len);
      }
      if (Date.now() > end || this.child.exitCode !== null) throw new Error(`terminal never showed ${String(what)}; it shows:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Types a line and Enter (a terminal's Enter is a carriage return). */
  type(line: string): void {
    this.child.stdin!.write(`${line}\r`);
  }

  /** Waits for kubectl to end (killing it after `ms`) and returns its exit code. */
  async close(ms = 20_000): Promise<number> {
    const t = setTimeout(() => this.child.kill('SIGKILL'), ms);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
