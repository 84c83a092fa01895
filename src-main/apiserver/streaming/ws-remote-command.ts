/**
 * exec/attach over WebSocket (kubectl 1.30+: v5.channel.k8s.io; older clients v4…v1 and base64):
 * container output → stdout/stderr channels, stdin/resize/close-stream messages → the
 * ContainerStream, then the exit status on the error channel and a normal close. The client
 * going away closes the ContainerStream (exec kills its process). Nothing is sent before the
 * client is ready to sort it into its streams (see below).
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

/**
 * When the first frame may go after the 101: once the client has answered a ping and at least
 * READY_FLOOR_MS have passed, or after READY_WAIT_MS whatever the client did (a client that does
 * not answer pings; RFC 6455 clients do). Real timers: this is about the client's threads.
 */
export const READY_FLOOR_MS = 10;
const READY_WAIT_MS = 250;

export function serveWsRemoteCommand(conn: WsConnection, proto: ChannelProtocol, stream: ContainerStream, sel: StreamSelection, command: string[]): void {
  let done = false;
  // kubectl's WebSocket client (client-go's wsStreamCreator, 1.30–1.33 at least) starts reading
  // frames in one goroutine while another creates its stream pipes: a message for a stream not
  // made yet is dropped ("Unknown stream id 1, discarding message"). The output of a fast command
  // (`cat /etc/resolv.conf`), sent right behind the 101, was then lost while the exit status (its
  // error stream is made first) arrived: exit 0, empty stdout. Upstream the process only starts
  // after the upgrade (apiserver → kubelet → containerd), milliseconds later. Here every frame
  // waits until the client has answered a ping (its reader runs) and a few milliseconds have
  // passed (its other goroutine, on a loaded machine, has had the CPU too); the process's output
  // is held meanwhile (pauseOutput: writers wait as on a full pipe).
  let ready = false;
  let ponged = false;
  let floorPassed = false;
  const waiting: (() => void)[] = [];
  const whenReady = (fn: () => void) => (ready ? fn() : waiting.push(fn));
  const becomeReady = () => {
    if (ready) return;
    ready = true;
    clearTimeout(floorTimer);
    clearTimeout(readyTimer);
    for (const fn of waiting.splice(0)) fn();
    stream.resumeOutput?.();
  };
  stream.pauseOutput?.();
  conn.onPong(() => {
    ponged = true;
    if (floorPassed) becomeReady();
  });
  conn.ping();
  const floorTimer = setTimeout(() => {
    floorPassed = true;
    if (ponged) becomeReady();
  }, READY_FLOOR_MS);
  const readyTimer = setTimeout(becomeReady, READY_WAIT_MS);
  floorTimer.unref();
  readyTimer.unref();
  const send = (channel: number, data: Buffer) => {
    const m = encodeChannelMessage(proto, channel, data);
    whenReady(() => conn.send(m.payload, m.binary));
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
    clearTimeout(floorTimer);
    clearTimeout(readyTimer);
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
      whenReady(() => conn.close(1000));
    },
    (err: unknown) => {
      if (done) return;
      done = true;
      send(ERROR, exitStatusBytes({ error: err instanceof Error ? err.message : String(err) }, command, proto.version));
      whenReady(() => conn.close(1000));
    },
  );
}
