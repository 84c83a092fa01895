/**
 * The host terminal (`kubesim serve --host-terminal`, which the desktop app passes): the user's
 * shell in a pseudo-terminal (node-pty, loaded on first use) on this machine, with `KUBECONFIG`
 * set to this cluster's kubeconfig, so tutorials can be typed into real kubectl inside the UI.
 * It speaks the exec WebSocket's channel protocol (`v5`/`v4.channel.k8s.io`: stdin 0, stdout 1,
 * error 3 with the exit Status, resize 4), so the renderer frames it as it frames pods/exec.
 * The caller (ui-api.ts) has checked Host, session cookie and Origin before handing the socket here.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IPty } from 'node-pty';
import { StatusError } from '../api/errors';
import { CHANNEL_PROTOCOLS, ERROR, RESIZE, STDIN, STDOUT, decodeChannelMessage, encodeChannelMessage, negotiateChannelProtocol, offeredProtocols, parseResizeMessages, type ChannelProtocol } from '../apiserver/streaming/channels';
import { exitStatusBytes } from '../apiserver/streaming/exit-status';
import { writeTextError, writeWebSocketAccept } from '../apiserver/streaming/handshake';
import { WsConnection } from '../apiserver/streaming/websocket/connection';

export const HOST_TERMINAL_PATH = '/ui/host-terminal';
/** More would be a leak (a page opening terminals in a loop), not a use. */
export const MAX_HOST_TERMINALS = 16;

export interface HostTerminalOptions {
  /** This cluster's kubeconfig: the shell's `KUBECONFIG`. */
  kubeconfigPath: string;
  /** Default: `$SHELL`, else bash, else sh (Windows: `%COMSPEC%`). */
  shell?: string;
  /** Default: the home folder. */
  cwd?: string;
  log?: (line: string) => void;
}

type PtyModule = typeof import('node-pty');
let ptyModule: Promise<PtyModule> | undefined;

/** node-pty's native module, loaded on the first terminal (never at start-up, never when the flag is off). */
function loadPty(): Promise<PtyModule> {
  ptyModule ??= import('node-pty').then((m) => ((m as { default?: PtyModule }).default?.spawn ? (m as { default: PtyModule }).default : m));
  return ptyModule;
}

export function defaultShell(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return env.COMSPEC || 'powershell.exe';
  if (env.SHELL && existsSync(env.SHELL)) return env.SHELL;
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

function sizeFrom(q: URLSearchParams, name: string, fallback: number): number {
  const n = Number(q.get(name));
  return Number.isInteger(n) && n >= 2 && n <= 1000 ? n : fallback;
}

/** The host terminals of one gateway: started per WebSocket, killed when it closes or the gateway stops. */
export class HostTerminals {
  private readonly live = new Set<{ pty: IPty; ws: WsConnection }>();
  private closed = false;

  constructor(private readonly opts: HostTerminalOptions) {}

  get count(): number {
    return this.live.size;
  }

  /** An upgrade request to HOST_TERMINAL_PATH, already authenticated. */
  async handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if ((req.method ?? 'GET') !== 'GET' || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw new StatusError(400, 'BadRequest', 'Upgrade request required');
    const key = req.headers['sec-websocket-key'];
    if (!key || req.headers['sec-websocket-version'] !== '13') return writeTextError(socket, 400, 'websocket: the client is not using the websocket protocol: missing Sec-WebSocket-Key or Sec-WebSocket-Version 13');
    const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
    const protocol = negotiateChannelProtocol(offered);
    if (!protocol || protocol.version < 4) {
      return writeTextError(socket, 400, `unable to upgrade: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${CHANNEL_PROTOCOLS.filter((p) => p.version >= 4).map((p) => p.name).join(' ')}]`);
    }
    if (this.closed) throw new StatusError(503, 'ServiceUnavailable', 'the gateway is shutting down');
    if (this.live.size >= MAX_HOST_TERMINALS) throw new StatusError(429, 'TooManyRequests', `too many host terminals open (${MAX_HOST_TERMINALS}); close one first`);
    const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const cols = sizeFrom(q, 'cols', 80);
    const rows = sizeFrom(q, 'rows', 24);
    let pty: IPty;
    const shell = this.opts.shell ?? defaultShell();
    try {
      const mod = await loadPty();
      pty = mod.spawn(shell, [], {
        name: 'xterm-256color',
        cols,
        rows,
        cwd: this.opts.cwd ?? homedir(),
        env: { ...process.env, KUBECONFIG: this.opts.kubeconfigPath, TERM: 'xterm-256color', COLORTERM: 'truecolor' } as Record<string, string>,
      });
    } catch (e) {
      throw new StatusError(500, 'InternalError', `Internal error occurred: could not start ${shell} in a pseudo-terminal: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (socket.destroyed || this.closed) {
      pty.kill();
      return;
    }
    writeWebSocketAccept(socket, key, protocol.name);
    this.serve(new WsConnection(socket, head), protocol, pty, shell);
  }

  private serve(ws: WsConnection, proto: ChannelProtocol, pty: IPty, shell: string): void {
    const entry = { pty, ws };
    this.live.add(entry);
    const send = (channel: number, data: Buffer) => {
      const m = encodeChannelMessage(proto, channel, data);
      return ws.send(m.payload, m.binary);
    };
    let exited = false;
    let paused = false;
    const out = pty.onData((d) => {
      send(STDOUT, Buffer.from(d, 'utf8'));
      if (ws.writableNeedDrain && !paused) {
        paused = true;
        pty.pause();
        ws.socket.once('drain', () => {
          paused = false;
          if (!exited) pty.resume();
        });
      }
    });
    const exit = pty.onExit(({ exitCode, signal }) => {
      exited = true;
      exit.dispose();
      this.live.delete(entry);
      // node-pty may report the exit before the last output: let it arrive first.
      const t = setTimeout(() => {
        out.dispose();
        send(ERROR, exitStatusBytes({ exitCode: signal ? 128 + signal : exitCode }, [shell], proto.version));
        ws.close(1000);
      }, 40);
      t.unref();
    });
    let resizeText = '';
    ws.onMessage((payload) => {
      let m;
      try {
        m = decodeChannelMessage(proto, payload);
      } catch {
        return;
      }
      if (!m || 'close' in m || exited) return;
      if (m.channel === STDIN) pty.write(m.data.toString('utf8'));
      else if (m.channel === RESIZE) {
        resizeText += m.data.toString('utf8');
        const sizes = parseResizeMessages(resizeText);
        resizeText = '';
        const last = sizes[sizes.length - 1];
        if (last && last.width > 0 && last.height > 0) {
          try {
            pty.resize(Math.min(last.width, 1000), Math.min(last.height, 1000));
          } catch {
            // the process is exiting
          }
        }
      }
    });
    ws.onClose(() => {
      this.live.delete(entry);
      if (!exited) {
        try {
          pty.kill();
        } catch {
          // already gone
        }
      }
    });
  }

  /** Ends every terminal (their shells get SIGHUP). */
  close(): void {
    this.closed = true;
    for (const { pty, ws } of this.live) {
      try {
        pty.kill();
      } catch {
        // already gone
      }
      ws.destroy();
    }
    this.live.clear();
  }
}
