/**
 * port-forward over WebSocket with the channel protocol (`v4.channel.k8s.io`, base64, or none; the
 * kubelet's websocket port-forward, used by client libraries such as @kubernetes/client-node):
 * the ports come from the query (`ports=80&ports=443`); port i uses data channel 2i and error
 * channel 2i+1, and the first message on each is the port as two little-endian bytes. One pod
 * connection per port; the WebSocket closes once every port's connection has ended.
 */
import type { Duplex } from 'node:stream';
import type { NodeConnection } from '../node-connections';
import type { WsConnection } from './websocket/connection';
import { decodeChannelMessage, encodeChannelMessage, type ChannelProtocol } from './channels';
import { forwardErrorText, type PortForwardTarget } from './port-forward';

/** The kubelet's parsing of its `port` parameters (the API's `ports`); a string is its 400 text. */
export function parseForwardPorts(values: string[]): number[] | string {
  if (values.length === 0) return 'query parameter "port" is required';
  const ports: number[] = [];
  for (const v of values) {
    for (const p of v.split(',')) {
      const text = p.trim();
      if (!/^\d+$/.test(text) || Number(text) > 65535) return `unable to parse "${text}" as a port: strconv.ParseUint: parsing "${text}": ${/^\d+$/.test(text) ? 'value out of range' : 'invalid syntax'}`;
      if (Number(text) < 1) return `port "${text}" must be > 0`;
      ports.push(Number(text));
    }
  }
  return ports;
}

export function serveWsPortForward(ws: WsConnection, proto: ChannelProtocol, ports: number[], node: NodeConnection, target: PortForwardTarget): void {
  const send = (channel: number, data: Buffer) => {
    const m = encodeChannelMessage(proto, channel, data);
    ws.send(m.payload, m.binary);
  };
  const conns: (Duplex | undefined)[] = ports.map(() => undefined);
  const early: Buffer[][] = ports.map(() => []);
  let open = ports.length;
  let gone = false;
  const done = () => {
    if (--open === 0) ws.close(1000);
  };

  ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port, 0);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
  });

  ws.onMessage((payload) => {
    let m;
    try {
      m = decodeChannelMessage(proto, payload);
    } catch {
      return;
    }
    if (!m || 'close' in m || m.channel % 2 !== 0) return;
    const i = m.channel / 2;
    if (i >= ports.length || !m.data.length) return;
    const conn = conns[i];
    if (conn) conn.write(m.data);
    else early[i].push(m.data);
  });

  ws.onClose(() => {
    gone = true;
    for (const c of conns) c?.destroy();
  });

  ports.forEach((port, i) => {
    if (!node.portForward) {
      send(2 * i + 1, Buffer.from(forwardErrorText(port, target, 'port forwarding is not supported by this node')));
      return done();
    }
    node.portForward({ ...target, port }).then(
      (conn) => {
        if (gone) {
          conn.destroy();
          return;
        }
        conns[i] = conn;
        for (const d of early[i].splice(0)) conn.write(d);
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          done();
        };
        conn.on('data', (d: Buffer) => {
          send(2 * i, d);
          if (ws.writableNeedDrain) {
            conn.pause();
            ws.socket.once('drain', () => conn.resume());
          }
        });
        conn.on('end', end);
        conn.on('close', end);
        conn.on('error', end);
      },
      (e: unknown) => {
        send(2 * i + 1, Buffer.from(forwardErrorText(port, target, e instanceof Error ? e.message : String(e))));
        done();
      },
    );
  });
}
