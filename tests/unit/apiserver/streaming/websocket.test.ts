import { describe, expect, it } from 'vitest';
import { PassThrough, Duplex } from 'node:stream';
import { OP_BINARY, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT, WsFrameParser, acceptKey, encodeFrame } from '../../../../src-main/apiserver/streaming/websocket/frames';
import { WsConnection } from '../../../../src-main/apiserver/streaming/websocket/connection';
import { CHANNEL_PROTOCOLS, decodeChannelMessage, encodeChannelMessage, negotiateChannelProtocol, parseResizeMessages, incompleteTail } from '../../../../src-main/apiserver/streaming/channels';

const MASK = Buffer.from([1, 2, 3, 4]);
const proto = (name: string) => CHANNEL_PROTOCOLS.find((p) => p.name === name)!;

/** Two Duplexes wired back to back. */
function pipePair(): [Duplex, Duplex] {
  const aIn = new PassThrough();
  const bIn = new PassThrough();
  const a = Duplex.from({ readable: aIn, writable: bIn });
  const b = Duplex.from({ readable: bIn, writable: aIn });
  return [a, b];
}

describe('WebSocket frames', () => {
  it('computes the RFC 6455 accept key', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('round-trips masked and unmasked frames of every length class, split at any byte', () => {
    for (const len of [0, 5, 125, 126, 300, 65535, 65536, 70000]) {
      const payload = Buffer.alloc(len, 7);
      for (const mask of [undefined, MASK]) {
        const wire = encodeFrame(OP_BINARY, payload, { mask });
        const p = new WsFrameParser(1 << 20);
        const frames = [...p.push(wire.subarray(0, 3)), ...p.push(wire.subarray(3))];
        expect(frames).toHaveLength(1);
        expect(frames[0].masked).toBe(!!mask);
        expect(frames[0].payload.equals(payload)).toBe(true);
      }
    }
  });

  it('masks the payload on the wire', () => {
    const wire = encodeFrame(OP_TEXT, Buffer.from('abcd'), { mask: MASK });
    expect(wire.subarray(6).equals(Buffer.from([0x61 ^ 1, 0x62 ^ 2, 0x63 ^ 3, 0x64 ^ 4]))).toBe(true);
  });

  it('rejects frames over the limit', () => {
    expect(() => new WsFrameParser(10).push(encodeFrame(OP_BINARY, Buffer.alloc(11), { mask: MASK }))).toThrow(/too big/);
  });
});

describe('WsConnection', () => {
  it('reassembles fragments, answers pings, and does the close handshake', async () => {
    const [server, client] = pipePair();
    const conn = new WsConnection(server, undefined);
    const got: string[] = [];
    conn.onMessage((d, binary) => got.push(`${binary ? 'b' : 't'}:${d.toString()}`));
    const fromServer = new WsFrameParser(1 << 20);
    const frames: { opcode: number; payload: string }[] = [];
    client.on('data', (c: Buffer) => frames.push(...fromServer.push(c).map((f) => ({ opcode: f.opcode, payload: f.payload.toString() }))));
    client.write(encodeFrame(OP_TEXT, Buffer.from('hel'), { fin: false, mask: MASK }));
    client.write(encodeFrame(OP_PING, Buffer.from('p'), { mask: MASK }));
    client.write(encodeFrame(0, Buffer.from('lo'), { mask: MASK }));
    client.write(encodeFrame(OP_BINARY, Buffer.from('x'), { mask: MASK }));
    const closed = new Promise<number>((r) => conn.onClose(r));
    const close = Buffer.alloc(2);
    close.writeUInt16BE(1000);
    client.write(encodeFrame(OP_CLOSE, close, { mask: MASK }));
    expect(await closed).toBe(1000);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['t:hello', 'b:x']);
    expect(frames[0]).toEqual({ opcode: OP_PONG, payload: 'p' });
    expect(frames[1].opcode).toBe(OP_CLOSE);
  });

  it('refuses unmasked client frames with 1002', async () => {
    const [server, client] = pipePair();
    const conn = new WsConnection(server, undefined);
    const closed = new Promise<number>((r) => conn.onClose(r));
    client.write(encodeFrame(OP_BINARY, Buffer.from('x')));
    expect(await closed).toBe(1002);
  });
});

describe('Kubernetes channel protocols', () => {
  it('negotiates in the client order, v5 first for kubectl 1.30+', () => {
    expect(negotiateChannelProtocol(['v5.channel.k8s.io', 'v4.channel.k8s.io'])?.name).toBe('v5.channel.k8s.io');
    expect(negotiateChannelProtocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'])?.name).toBe('v4.channel.k8s.io');
    expect(negotiateChannelProtocol(['nope'])).toBeUndefined();
    expect(negotiateChannelProtocol([])?.version).toBe(1);
  });

  it('binary channels: one channel byte then the data', () => {
    const v4 = proto('v4.channel.k8s.io');
    const m = encodeChannelMessage(v4, 1, Buffer.from('hi\n'));
    expect(m.binary).toBe(true);
    expect([...m.payload]).toEqual([1, 104, 105, 10]);
    expect(decodeChannelMessage(v4, Buffer.from([0, 97, 98]))).toEqual({ channel: 0, data: Buffer.from('ab') });
    expect(decodeChannelMessage(v4, Buffer.alloc(0))).toBeUndefined();
  });

  it('v5 close-stream signal [255, channel]; v4 treats 255 as data of a channel', () => {
    const v5 = proto('v5.channel.k8s.io');
    expect(decodeChannelMessage(v5, Buffer.from([255, 0]))).toEqual({ close: 0 });
    expect(() => decodeChannelMessage(v5, Buffer.from([255, 0, 1]))).toThrow();
    expect(decodeChannelMessage(proto('v4.channel.k8s.io'), Buffer.from([255, 0]))).toEqual({ channel: 255, data: Buffer.from([0]) });
  });

  it('base64 channels: ASCII channel digit and base64 text', () => {
    const b = proto('v4.base64.channel.k8s.io');
    const m = encodeChannelMessage(b, 2, Buffer.from('oops'));
    expect(m.binary).toBe(false);
    expect(m.payload.toString()).toBe('2' + Buffer.from('oops').toString('base64'));
    expect(decodeChannelMessage(b, Buffer.from('0' + Buffer.from('in').toString('base64')))).toEqual({ channel: 0, data: Buffer.from('in') });
  });

  it('parses terminal sizes, several per chunk and split across chunks', () => {
    expect(parseResizeMessages('{"Width":80,"Height":24}{"Width":100,"Height":40}')).toEqual([
      { width: 80, height: 24 },
      { width: 100, height: 40 },
    ]);
    const text = '{"Width":80,"Height":24}\n{"Width":1';
    expect(parseResizeMessages(text)).toEqual([{ width: 80, height: 24 }]);
    expect(incompleteTail(text)).toBe('{"Width":1');
  });
});
