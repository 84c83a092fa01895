/**
 * The host terminal's WebSocket (`/ui/host-terminal`, offered with `kubesim serve --host-terminal`):
 * the exec channel protocol of api/ws-channels.ts — stdin 0, stdout 1, the exit Status on 3,
 * resize 4 — to a shell on this machine with KUBECONFIG set to the cluster's kubeconfig.
 */
import { EXEC_PROTOCOLS, ERROR, STDERR, STDIN, STDOUT, decodeMessage, encodeMessage, exitFromStatus, resizeMessage, type ExitResult } from '../../api/ws-channels';
import { HOST_TERMINAL_PATH } from './ui-api';

export interface HostTerminalHandlers {
  onOpen?(): void;
  onOutput?(data: Uint8Array): void;
  /** Once: `connected` false when the WebSocket was refused. */
  onExit?(r: ExitResult & { connected: boolean }): void;
}

export function hostTerminalUrl(cols: number, rows: number, origin = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}${HOST_TERMINAL_PATH}?cols=${Math.max(2, cols)}&rows=${Math.max(2, rows)}`;
}

export class HostTerminalSession {
  private readonly ws: WebSocket;
  private protocol = '';
  private opened = false;
  private ended = false;
  private errorText = '';
  private readonly decoder = new TextDecoder();

  constructor(cols: number, rows: number, private readonly h: HostTerminalHandlers) {
    this.ws = new WebSocket(hostTerminalUrl(cols, rows), EXEC_PROTOCOLS.filter((p) => p.startsWith('v5') || p.startsWith('v4')));
    this.ws.binaryType = 'arraybuffer';
    this.ws.onopen = () => {
      this.opened = true;
      this.protocol = this.ws.protocol;
      h.onOpen?.();
    };
    this.ws.onmessage = (ev: { data: ArrayBuffer | string }) => {
      const m = decodeMessage(this.protocol, ev.data);
      if (!m) return;
      if (m.channel === STDOUT || m.channel === STDERR) {
        if (m.data.length) h.onOutput?.(m.data);
      } else if (m.channel === ERROR) this.errorText += this.decoder.decode(m.data, { stream: true });
    };
    this.ws.onclose = (ev) => this.finish(ev.code);
  }

  private finish(code: number): void {
    if (this.ended) return;
    this.ended = true;
    if (this.errorText) return this.h.onExit?.({ ...exitFromStatus(this.errorText), connected: true });
    if (!this.opened) return this.h.onExit?.({ error: 'the host terminal was refused (is kubesim serving it? the desktop app does; `kubesim serve` needs --host-terminal)', connected: false });
    this.h.onExit?.({ error: code === 1000 ? undefined : `connection closed (${code})`, exitCode: code === 1000 ? 0 : undefined, connected: true });
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

  close(): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    this.ended = true;
  }
}
