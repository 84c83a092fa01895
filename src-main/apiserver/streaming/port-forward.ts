/**
 * port-forward over SPDY (`portforward.k8s.io`; directly for kubectl ≤1.30, tunnelled through
 * WebSocket for 1.31+): per forwarded connection the client opens an `error` and a `data` stream
 * with the same `port` and `requestid` headers; the pair becomes a TCP stream to localhost:<port>
 * inside the pod (NodeConnection.portForward). A failure is written to the error stream, which
 * kubectl prints as `an error occurred forwarding L -> R: <text>` and keeps running.
 */
import type { Duplex } from 'node:stream';
import type { NodeConnection } from '../node-connections';
import { RST_PROTOCOL_ERROR } from './spdy/frames';
import { SpdySession, type SpdyStream } from './spdy/session';
import { STREAM_CREATION_TIMEOUT_MS } from './spdy-remote-command';

export interface PortForwardTarget {
  namespace: string;
  pod: string;
  uid: string;
}

interface StreamPair {
  id: string;
  error?: SpdyStream;
  data?: SpdyStream;
  timer?: NodeJS.Timeout;
}

/** The kubelet's text for a failed forward (its message already has it when it starts that way). */
export function forwardErrorText(port: number, target: PortForwardTarget, message: string): string {
  if (message.startsWith('error forwarding port')) return message;
  return `error forwarding port ${port} to pod ${target.uid}, uid : ${message}`;
}

export function servePortForward(transport: Duplex, head: Buffer | undefined, node: NodeConnection, target: PortForwardTarget): SpdySession {
  const pairs = new Map<string, StreamPair>();
  const conns = new Set<Duplex>();
  // Pod connections paused while the client's transport is full; one drain resumes them all.
  const paused = new Set<Duplex>();
  const onDrain = () => {
    for (const c of paused) c.resume();
    paused.clear();
  };
  transport.on('drain', onDrain);
  const blocked = new Set<Duplex>();
  const unblock = (c: Duplex) => {
    if (blocked.delete(c) && blocked.size === 0) transport.resume();
  };

  const session = new SpdySession(
    transport,
    {
      role: 'server',
      onStream: (s) => {
        const type = s.header('streamtype');
        if (type !== 'error' && type !== 'data') {
          s.reset(RST_PROTOCOL_ERROR);
          return;
        }
        // Old clients sent no requestid: the data stream follows its error stream (id + 2).
        const id = s.header('requestid') ?? String(type === 'error' ? s.id : s.id - 2);
        let pair = pairs.get(id);
        if (!pair) {
          pair = { id };
          pairs.set(id, pair);
          const p = pair;
          p.timer = setTimeout(() => {
            pairs.delete(id);
            p.error?.write(Buffer.from(`timed out waiting for streams for request ${id}`));
            p.error?.end();
            p.data?.reset();
          }, STREAM_CREATION_TIMEOUT_MS);
          p.timer.unref();
        }
        if (pair[type]) {
          s.reset(RST_PROTOCOL_ERROR);
          return;
        }
        s.reply();
        pair[type] = s;
        if (pair.error && pair.data) {
          clearTimeout(pair.timer);
          pairs.delete(id);
          forward(pair.error, pair.data);
        }
      },
    },
    head,
  );

  function forward(error: SpdyStream, data: SpdyStream): void {
    const portText = data.header('port') ?? '';
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    const fail = (msg: string) => {
      error.write(Buffer.from(msg));
      error.end();
      data.end();
    };
    if (!(port > 0 && port < 65536)) {
      fail(`invalid port "${portText}"`);
      return;
    }
    if (!node.portForward) {
      fail(forwardErrorText(port, target, 'port forwarding is not supported by this node'));
      return;
    }
    node.portForward({ ...target, port }).then(
      (conn) => {
        if (session.isClosed || (data.remoteClosed && data.localClosed)) {
          conn.destroy();
          return;
        }
        conns.add(conn);
        let finished = false;
        const finish = () => {
          if (finished) return;
          finished = true;
          conns.delete(conn);
          data.end();
          error.end();
        };
        // Client → pod: a pod that reads slowly holds the whole session back (as the kubelet's
        // blocking copy does) instead of buffering without bound.
        data.onData((d) => {
          if (!conn.write(d) && !blocked.has(conn)) {
            blocked.add(conn);
            transport.pause();
            conn.once('drain', () => unblock(conn));
            conn.once('close', () => unblock(conn));
          }
        });
        data.onEnd(() => conn.end());
        data.onReset(() => {
          conns.delete(conn);
          conn.destroy();
        });
        conn.on('data', (chunk: Buffer) => {
          data.write(chunk);
          if (transport.writableNeedDrain) {
            conn.pause();
            paused.add(conn);
          }
        });
        conn.on('end', finish);
        conn.on('close', finish);
        conn.on('error', finish);
      },
      (e: unknown) => fail(forwardErrorText(port, target, e instanceof Error ? e.message : String(e))),
    );
  }

  session.onClose(() => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
    for (const c of conns) c.destroy();
    conns.clear();
    paused.clear();
    blocked.clear();
    transport.off('drain', onDrain);
  });
  return session;
}
