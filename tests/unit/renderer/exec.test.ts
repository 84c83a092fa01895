/**
 * The renderer's exec session: the URL the server parses back into the same options, and the
 * session's events over a scripted WebSocket (stdout, the exit code from the error channel, stdin
 * and resize framing, a refused upgrade).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ExecSession, execUrl } from '../../../src-renderer/api/exec';
import { remoteCommandOptions } from '../../../src-main/apiserver/streaming/location';

class ScriptedSocket {
  static last: ScriptedSocket;
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  readyState = 0;
  protocol = '';
  binaryType = 'blob';
  sent: (Uint8Array | string)[] = [];
  onopen?: () => void;
  onmessage?: (ev: { data: ArrayBuffer | string }) => void;
  onclose?: (ev: { code: number; reason: string }) => void;
  onerror?: () => void;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    ScriptedSocket.last = this;
  }
  open(protocol: string): void {
    this.protocol = protocol;
    this.readyState = 1;
    this.onopen?.();
  }
  receive(channel: number, text: string): void {
    const b = new TextEncoder().encode(text);
    const m = new Uint8Array(b.length + 1);
    m[0] = channel;
    m.set(b, 1);
    this.onmessage?.({ data: m.buffer });
  }
  send(d: Uint8Array | string): void {
    this.sent.push(d);
  }
  close(code = 1000): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

const g = globalThis as unknown as { WebSocket?: unknown };
const saved = g.WebSocket;
afterEach(() => {
  g.WebSocket = saved;
});

describe('execUrl', () => {
  it('the server reads back the command, container, stdin and tty (stderr merged into the tty)', () => {
    const url = new URL(execUrl({ namespace: 'default', pod: 'web', container: 'app', command: ['sh', '-c', 'echo a b'], tty: true, stdin: true, origin: 'http://127.0.0.1:8080' }));
    expect(url.protocol).toBe('ws:');
    expect(url.pathname).toBe('/api/v1/namespaces/default/pods/web/exec');
    expect(url.searchParams.get('container')).toBe('app');
    const o = remoteCommandOptions(url.searchParams, 'exec');
    expect(o).toMatchObject({ command: ['sh', '-c', 'echo a b'], stdin: true, stdout: true, stderr: false, tty: true });
    const plain = new URL(execUrl({ namespace: 'n', pod: 'p', command: ['ls'], tty: false, stdin: false, origin: 'https://x' }));
    expect(plain.protocol).toBe('wss:');
    expect(remoteCommandOptions(plain.searchParams, 'exec')).toMatchObject({ stdin: false, stdout: true, stderr: true, tty: false });
  });
});

describe('ExecSession', () => {
  it('stdout, then the NonZeroExitCode Status gives the exit code; stdin and resize are framed', () => {
    g.WebSocket = ScriptedSocket;
    const out: string[] = [];
    const exits: unknown[] = [];
    const s = new ExecSession({ namespace: 'default', pod: 'web', command: ['sh'], origin: 'http://127.0.0.1:1' }, { onStdout: (d) => out.push(new TextDecoder().decode(d)), onExit: (r) => exits.push(r) });
    const ws = ScriptedSocket.last;
    expect(ws.protocols).toEqual(['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'base64.channel.k8s.io']);
    ws.open('v5.channel.k8s.io');
    ws.receive(1, '');
    ws.receive(1, 'hi\r\n');
    s.send('exit 3\r');
    s.resize(100, 30);
    s.closeStdin();
    expect(ws.sent.map((m) => (typeof m === 'string' ? m : `${m[0]}:${new TextDecoder().decode(m.subarray(1))}`))).toEqual(['0:exit 3\r', '4:{"Width":100,"Height":30}', `255:${String.fromCharCode(0)}`]);
    ws.receive(3, JSON.stringify({ metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }));
    ws.close(1000);
    expect(out).toEqual(['hi\r\n']);
    expect(exits).toEqual([{ exitCode: 3, connected: true }]);
    s.send('late');
    expect(ws.sent.length).toBe(3);
  });

  it('a refused upgrade (closed before open) is an error, not an exit code', () => {
    g.WebSocket = ScriptedSocket;
    const exits: { exitCode?: number; error?: string; connected: boolean }[] = [];
    new ExecSession({ namespace: 'default', pod: 'gone', command: ['sh'], origin: 'http://127.0.0.1:1' }, { onExit: (r) => exits.push(r) });
    ScriptedSocket.last.close(1006);
    expect(exits).toHaveLength(1);
    expect(exits[0].connected).toBe(false);
    expect(exits[0].exitCode).toBeUndefined();
    expect(exits[0].error).toMatch(/refused/);
  });
});
