/**
 * `pods/exec` over the gateway's WebSocket (same origin; the session cookie authenticates and the
 * gateway checks the Origin): opens the session with command/container/tty/stdin, then reports
 * stdout, stderr and the exit (from the Status on the error channel) and sends stdin, resizes
 * and — in v5 — the close of stdin.
 */
import { ERROR, EXEC_PROTOCOLS, STDERR, STDIN, STDOUT, closeMessage, decodeMessage, encodeMessage, exitFromStatus, resizeMessage, type ExitResult } from './ws-channels';

export interface ExecOptions {
  namespace: string;
  pod: string;
  /** Default: the pod's default container (the server picks it). */
  container?: string;
  command: string[];
  tty?: boolean;
  stdin?: boolean;
  /** Where the gateway is; default: this page's origin. */
  origin?: string;
}

export interface ExecHandlers {
  onOpen?(protocol: string): void;
  onStdout?(data: Uint8Array): void;
  onStderr?(data: Uint8Array): void;
  /** The session ended: the exit code, or an error (the command could not run, the connection failed). */
  onExit?(result: ExitResult & { connected: boolean }): void;
}

/** The exec URL (ws: or wss: of the page's origin). */
export function execUrl(o: ExecOptions): string {
  const origin = o.origin ?? (globalThis as unknown as { location: { origin: string } }).location.origin;
  const q = new URLSearchParams();
  for (const c of o.command) q.append('command', c);
  if (o.container) q.set('container', o.container);
  q.set('stdin', String(o.stdin ?? true));
  q.set('stdout', 'true');
  // A tty merges stderr into stdout (the server refuses both); without one, stderr is its own channel.
  q.set('stderr', String(!(o.tty ?? true)));
  q.set('tty', String(o.tty ?? true));
  const path = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/exec?${q}`;
  return origin.replace(/^http/, 'ws') + path;
}

export class ExecSession {
  private ws: WebSocket;
  private protocol = '';
  private opened = false;
  private ended = false;
  private errorText = '';
  private readonly decoder = new TextDecoder();

  constructor(
    readonly options: ExecOptions,
    private readonly h: ExecHandlers,
  ) {
    this.ws = new WebSocket(execUrl(options), [...EXEC_PROTOCOLS]);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => {
      this.opened = true;
      this.protocol = this.ws.protocol;
      h.onOpen?.(this.protocol);
    };
    this.ws.onmessage = (ev: { data: ArrayBuffer | string }) => {
      const m = decodeMessage(this.protocol, ev.data);
      if (!m) return;
      if (m.channel === STDOUT) {
        if (m.data.length) h.onStdout?.(m.data);
      } else if (m.channel === STDERR) {
        if (m.data.length) h.onStderr?.(m.data);
      } else if (m.channel === ERROR) this.errorText += this.decoder.decode(m.data, { stream: true });
    };
    this.ws.onclose = (ev) => this.finish(ev.code, ev.reason);
    this.ws.onerror = () => {
      // The close event follows with the details (1006 when the upgrade was refused).
    };
  }

  private finish(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.errorText) {
      this.h.onExit?.({ ...exitFromStatus(this.errorText), connected: true });
      return;
    }
    if (!this.opened) {
      this.h.onExit?.({ error: 'the exec connection was refused (is the pod running and the container started?)', connected: false });
      return;
    }
    this.h.onExit?.({ error: code === 1000 ? undefined : `connection closed (${code}${reason ? `: ${reason}` : ''})`, exitCode: code === 1000 ? 0 : undefined, connected: true });
  }

  get isOpen(): boolean {
    return this.opened && !this.ended && this.ws.readyState === WebSocket.OPEN;
  }

  send(data: string | Uint8Array): void {
    if (this.isOpen) this.ws.send(encodeMessage(this.protocol, STDIN, data));
  }

  resize(cols: number, rows: number): void {
    if (this.isOpen) this.ws.send(resizeMessage(this.protocol, cols, rows));
  }

  /** v5: no more stdin (the command sees end of file). */
  closeStdin(): void {
    const m = closeMessage(this.protocol, STDIN);
    if (m && this.isOpen) this.ws.send(m);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    this.ended = true;
  }
}
