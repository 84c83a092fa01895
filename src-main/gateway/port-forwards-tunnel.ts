/**
 * A `pods/portforward` session opened in-process, the way kubectl opens one: a POST upgrade to
 * `SPDY/3.1` with `X-Stream-Protocol-Version: portforward.k8s.io`, handed to the API server's own
 * streaming upgrade handler (the same one the HTTPS listener uses) over an in-memory socket pair,
 * as the gateway's user. After the 101 we are the SPDY client: per forwarded connection an
 * `error` and a `data` stream with the same `port` and `requestid` (`openForwardStreams`).
 */
import type { IncomingMessage } from 'node:http';
import { duplexPair, type Duplex } from 'node:stream';
import type { StreamingUpgradeHandler } from '../apiserver/streaming/upgrade';
import { SpdySession, type SpdyStream } from '../apiserver/streaming/spdy/session';
import type { UserInfo } from '../api/types';
import { StatusError } from '../api/errors';

const MAX_HEAD = 64 * 1024;

/** A socket pair whose ends go away together (a destroyed side does not end the other by itself). */
function linkedPair(): [Duplex, Duplex] {
  const [a, b] = duplexPair();
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
  a.on('error', () => a.destroy());
  b.on('error', () => b.destroy());
  return [a, b];
}

/** The HTTP answer on the raw socket: 101 (and what followed it), or a failure as a StatusError. */
function readHandshake(socket: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let headEnd = -1;
    let status = 0;
    const done = (fn: () => void) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      fn();
    };
    const failure = (): StatusError => {
      const body = buf.subarray(headEnd + 4).toString('utf8').trim();
      try {
        const s = JSON.parse(body) as { kind?: string; code?: number; reason?: string; message?: string };
        if (s.kind === 'Status') return new StatusError(s.code ?? status, s.reason ?? '', s.message ?? body);
      } catch {
        // plain text (the kubelet's refusals)
      }
      return new StatusError(status || 500, status === 404 ? 'NotFound' : status === 400 ? 'BadRequest' : 'InternalError', body || `the port-forward upgrade failed with status ${status}`);
    };
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (headEnd < 0) {
        headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd < 0) {
          if (buf.length > MAX_HEAD) done(() => reject(new StatusError(500, 'InternalError', 'Internal error occurred: port-forward handshake too long')));
          return;
        }
        status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buf.subarray(0, headEnd).toString('latin1'))?.[1] ?? 0);
        // Held until the SPDY session listens (a 'data' event without a listener would be lost).
        if (status === 101) return done(() => (socket.pause(), resolve(buf.subarray(headEnd + 4))));
      }
      // A refusal: its body follows (Content-Length), then the server closes.
      const len = Number(/\r\ncontent-length: *(\d+)/i.exec(buf.subarray(0, headEnd).toString('latin1'))?.[1] ?? NaN);
      if (buf.length - headEnd - 4 >= len) done(() => reject(failure()));
    };
    const onEnd = () =>
      done(() => reject(headEnd < 0 ? new StatusError(500, 'InternalError', 'Internal error occurred: the port-forward upgrade was closed without an answer') : failure()));
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
  });
}

/** Opens `pods/<pod>/portforward` through the streaming upgrade handler; the SPDY session is ours (client). */
export async function openPortForwardSession(upgrade: StreamingUpgradeHandler, user: UserInfo, namespace: string, pod: string): Promise<SpdySession> {
  const [ours, theirs] = linkedPair();
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`;
  const headers = { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'portforward.k8s.io', 'user-agent': 'kubesim-ui/port-forward' };
  const answer = readHandshake(ours);
  // The upgrade handler reads only the ApiRequest; the IncomingMessage is the HTTP listener's, absent here.
  const taken = await upgrade({ method: 'POST', path, query: new URLSearchParams(), headers, user }, { headers, method: 'POST', url: path } as unknown as IncomingMessage, theirs, Buffer.alloc(0));
  if (!taken) {
    ours.destroy();
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  }
  let head: Buffer;
  try {
    head = await answer;
  } catch (e) {
    ours.destroy();
    throw e;
  }
  // The server opens no streams towards a port-forward client.
  const session = new SpdySession(ours, { role: 'client', onStream: (s) => s.reset() }, head);
  ours.resume();
  return session;
}

export interface ForwardStreams {
  error: SpdyStream;
  data: SpdyStream;
}

/** kubectl's stream pair for one connection: the error stream (our side closed at once), then the data stream. */
export async function openForwardStreams(session: SpdySession, port: number, requestId: number): Promise<ForwardStreams> {
  const common: [string, string][] = [
    ['port', String(port)],
    ['requestid', String(requestId)],
  ];
  const error = await session.openStream([['streamtype', 'error'], ...common], { fin: true });
  const data = await session.openStream([['streamtype', 'data'], ...common]);
  return { error, data };
}
