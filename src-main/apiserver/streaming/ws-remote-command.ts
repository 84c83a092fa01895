/**
 * exec/attach over WebSocket (kubectl 1.30+: v5.channel.k8s.io; older clients v4…v1 and base64):
 * container output → stdout/stderr channels, stdin/resize/close-stream messages → the
 * ContainerStream, then the exit status on the error channel and a normal close. The client
 * going away closes the ContainerStream (exec kills its process).
 */
import type { ContainerStream } from '../node-connections';
import type { WsConnection } from './websocket/connection';
import { ERROR, RESIZE, STDERR, STDIN, STDOUT, decodeChannelMessage, encodeChannelMessage, parseResizeMessages, type ChannelProtocol } from './channels';
import { exitStatusBytes } from './exit-status';
import { outputGate } from './output-gate';

export interface StreamSelection {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function serveWsRemoteCommand(conn: WsConnection, proto: ChannelProtocol, stream: ContainerStream, sel: StreamSelection, command: string[]): void {
  let done = false;
  const send = (channel: number, data: Buffer) => {
    const m = encodeChannelMessage(proto, channel, data);
    conn.send(m.payload, m.binary);
  };
  // Upstream writes an empty message on the lowest writable channel: "the connection is established".
  send(sel.stdout ? STDOUT : sel.stderr ? STDERR : ERROR, Buffer.alloc(0));
  const gate = outputGate(conn.socket, stream);
  if (sel.stdout)
    stream.onStdout((c) => {
      send(STDOUT, c);
      gate();
    });
  if (sel.stderr)
    stream.onStderr((c) => {
      send(STDERR, c);
      gate();
    });
  conn.onMessage((payload) => {
    let m;
    try {
      m = decodeChannelMessage(proto, payload);
    } catch {
      conn.close(1002, 'invalid stream close signal');
      return;
    }
    if (!m) return;
    if ('close' in m) {
      if (m.close === STDIN && sel.stdin) stream.closeStdin();
      return;
    }
    if (m.channel === STDIN) {
      if (sel.stdin && m.data.length) stream.writeStdin(m.data);
    } else if (m.channel === RESIZE && proto.version >= 3) {
      for (const s of parseResizeMessages(m.data.toString())) stream.resize(s.width, s.height);
    }
  });
  conn.onClose(() => {
    if (!done) {
      done = true;
      stream.close();
    }
  });
  void stream.exited.then(
    (exit) => {
      if (done) return;
      done = true;
      const status = exitStatusBytes(exit, command, proto.version);
      if (status.length) send(ERROR, status);
      conn.close(1000);
    },
    (err: unknown) => {
      if (done) return;
      done = true;
      send(ERROR, exitStatusBytes({ error: err instanceof Error ? err.message : String(err) }, command, proto.version));
      conn.close(1000);
    },
  );
}
