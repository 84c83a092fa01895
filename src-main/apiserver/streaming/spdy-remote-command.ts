/**
 * exec/attach over SPDY/3.1 (kubectl 1.27–1.29, and newer ones when WebSocket fails): the client
 * opens one stream per `streamtype` (error, stdin, stdout, stderr, resize); once all expected ones
 * are there, output flows to stdout/stderr, stdin (FIN = end of input) and resize flow in, and the
 * session ends with the exit status on the error stream, FINs and GOAWAY.
 */
import type { Duplex } from 'node:stream';
import type { ContainerStream } from '../node-connections';
import { RST_PROTOCOL_ERROR } from './spdy/frames';
import { SpdySession, type SpdyStream } from './spdy/session';
import { incompleteTail, parseResizeMessages } from './channels';
import { exitStatusBytes } from './exit-status';
import { outputGate } from './output-gate';
import type { StreamSelection } from './ws-remote-command';

/** How long the client has to open its streams (the kubelet's streamCreationTimeout). */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

export function serveSpdyRemoteCommand(transport: Duplex, head: Buffer | undefined, version: number, stream: ContainerStream, sel: StreamSelection, command: string[]): SpdySession {
  const expected = new Set<StreamType>(['error']);
  if (sel.stdin) expected.add('stdin');
  if (sel.stdout) expected.add('stdout');
  if (sel.stderr) expected.add('stderr');
  if (sel.tty && version >= 3) expected.add('resize');
  const got = new Map<StreamType, SpdyStream>();
  let ready = false;
  let done = false;
  // Output produced before the client's streams exist waits here.
  const early: [StreamType, Buffer][] = [];
  const gate = outputGate(transport, stream);
  const out = (type: 'stdout' | 'stderr', chunk: Buffer) => {
    if (ready) got.get(type)?.write(chunk);
    else early.push([type, chunk]);
    gate();
  };
  if (sel.stdout) stream.onStdout((c) => out('stdout', c));
  if (sel.stderr) stream.onStderr((c) => out('stderr', c));

  let markReady!: () => void;
  const readyP = new Promise<void>((r) => (markReady = r));
  const timer = setTimeout(() => {
    if (!ready) abandon();
  }, STREAM_CREATION_TIMEOUT_MS);
  timer.unref();

  const session = new SpdySession(
    transport,
    {
      role: 'server',
      onStream: (s) => {
        const type = s.header('streamtype') as StreamType | undefined;
        if (!type || !expected.has(type) || got.has(type)) {
          s.reset(RST_PROTOCOL_ERROR);
          return;
        }
        s.reply();
        got.set(type, s);
        if (got.size === expected.size) start();
      },
    },
    head,
  );

  function start(): void {
    ready = true;
    clearTimeout(timer);
    const stdin = got.get('stdin');
    if (stdin) {
      stdin.onData((d) => stream.writeStdin(d));
      stdin.onEnd(() => stream.closeStdin());
    }
    const resize = got.get('resize');
    if (resize) {
      let buf = '';
      resize.onData((d) => {
        buf += d.toString();
        for (const sz of parseResizeMessages(buf)) stream.resize(sz.width, sz.height);
        buf = incompleteTail(buf);
      });
    }
    for (const [type, chunk] of early.splice(0)) got.get(type)?.write(chunk);
    markReady();
  }

  function abandon(): void {
    if (done) return;
    done = true;
    clearTimeout(timer);
    stream.close();
    session.close();
  }

  session.onClose(() => {
    clearTimeout(timer);
    if (!done) {
      done = true;
      stream.close();
    }
  });

  const finish = (bytes: Buffer) => {
    void readyP.then(() => {
      if (done) return;
      done = true;
      got.get('stdout')?.end();
      got.get('stderr')?.end();
      const err = got.get('error')!;
      if (bytes.length) err.write(bytes);
      err.end();
      // stdin/resize: the client may still hold them open; the GOAWAY ends the session.
      session.close();
    });
  };
  void stream.exited.then(
    (exit) => finish(exitStatusBytes(exit, command, version)),
    (e: unknown) => finish(exitStatusBytes({ error: e instanceof Error ? e.message : String(e) }, command, version)),
  );
  return session;
}
