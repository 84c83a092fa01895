import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { PassThrough, Duplex } from 'node:stream';
import {
  SpdyFrameParser,
  encodeData,
  encodeGoaway,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  SETTINGS_INITIAL_WINDOW_SIZE,
} from '../../../../src-main/apiserver/streaming/spdy/frames';
import { HeaderCompressor, HeaderDecompressor, decodeNameValueBlock, encodeNameValueBlock } from '../../../../src-main/apiserver/streaming/spdy/header-block';
import { SPDY3_DICTIONARY } from '../../../../src-main/apiserver/streaming/spdy/dictionary';
import { SpdySession, type SpdyStream } from '../../../../src-main/apiserver/streaming/spdy/session';

function pipePair(): [Duplex, Duplex] {
  const aIn = new PassThrough();
  const bIn = new PassThrough();
  return [Duplex.from({ readable: aIn, writable: bIn }), Duplex.from({ readable: bIn, writable: aIn })];
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('SPDY/3 frames', () => {
  it('round-trips every frame type, fed one byte at a time', () => {
    const wire = Buffer.concat([
      encodeSynStream(1, Buffer.from('hb'), { priority: 3, fin: true }),
      encodeSynReply(1, Buffer.from('r')),
      encodeData(1, Buffer.from('payload'), true),
      encodeRstStream(3, 5),
      encodeSettings([{ id: SETTINGS_INITIAL_WINDOW_SIZE, value: 1000 }]),
      encodePing(7),
      encodeGoaway(9, 0),
      encodeWindowUpdate(1, 4096),
    ]);
    const p = new SpdyFrameParser();
    const frames = [];
    for (const byte of wire) frames.push(...p.push(Buffer.from([byte])));
    expect(frames).toEqual([
      { type: 'syn_stream', streamId: 1, associatedId: 0, priority: 3, fin: true, unidirectional: false, headerBlock: Buffer.from('hb') },
      { type: 'syn_reply', streamId: 1, fin: false, headerBlock: Buffer.from('r') },
      { type: 'data', streamId: 1, fin: true, data: Buffer.from('payload') },
      { type: 'rst_stream', streamId: 3, status: 5 },
      { type: 'settings', clearPersisted: false, entries: [{ flags: 0, id: 7, value: 1000 }] },
      { type: 'ping', id: 7 },
      { type: 'goaway', lastGoodStreamId: 9, status: 0 },
      { type: 'window_update', streamId: 1, delta: 4096 },
    ]);
  });

  it('control frames carry version 3', () => {
    expect(encodePing(1).readUInt16BE(0)).toBe(0x8003);
  });
});

describe('SPDY/3 header blocks', () => {
  it('the dictionary is the spec one (adler32 as Go/Chromium check it)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    // The zlib stream our compressor starts with names the dictionary by its adler32.
    const head = new HeaderCompressor().compress(Buffer.alloc(0)).subarray(0, 6);
    expect(head.readUInt16BE(0) % 31).toBe(0);
    // zlib's own stream header for this dictionary names the same DICTID.
    const ref = zlib.deflateSync(Buffer.alloc(0), { dictionary: SPDY3_DICTIONARY });
    expect(head.subarray(2, 6).equals(ref.subarray(2, 6))).toBe(true);
  });

  it('name/value blocks: lower-cased names, NUL-joined repeated values', () => {
    const block = encodeNameValueBlock([
      ['StreamType', 'error'],
      ['port', '80'],
    ]);
    expect(decodeNameValueBlock(block)).toEqual(
      new Map([
        ['streamtype', 'error'],
        ['port', '80'],
      ]),
    );
  });

  it('our stored-block zlib stream inflates with the dictionary, block after block', async () => {
    const c = new HeaderCompressor();
    const d = new HeaderDecompressor();
    for (const h of [[['streamtype', 'stdout']], [], [['port', '8080'], ['requestid', '0']]] as [string, string][][]) {
      const out = await d.decompress(c.compress(encodeNameValueBlock(h)));
      expect([...decodeNameValueBlock(out)]).toEqual(h);
    }
    d.close();
  });

  it('each header block ends with the sync-flush marker (Go hands out a stored block only once the next block starts)', () => {
    const c = new HeaderCompressor();
    for (const h of [[['streamtype', 'error']], []] as [string, string][][]) {
      expect([...c.compress(encodeNameValueBlock(h)).subarray(-5)]).toEqual([0, 0, 0, 0xff, 0xff]);
    }
  });

  it('reads a Huffman-compressed stream like Go writes (deflate with the dictionary, sync flush per block)', async () => {
    const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const chunks: Buffer[] = [];
    deflate.on('data', (c: Buffer) => chunks.push(c));
    const blockOf = (h: [string, string][]) =>
      new Promise<Buffer>((resolve) => {
        deflate.write(encodeNameValueBlock(h));
        deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks.splice(0))));
      });
    const d = new HeaderDecompressor();
    const first: [string, string][] = [['streamtype', 'error'], ['port', '80'], ['requestid', '0']];
    const second: [string, string][] = [['streamtype', 'data'], ['port', '80'], ['requestid', '0']];
    const b1 = await blockOf(first);
    const b2 = await blockOf(second);
    // The second block refers back into the first: only one continuous stream decodes it.
    expect([...decodeNameValueBlock(await d.decompress(b1))]).toEqual(first);
    expect([...decodeNameValueBlock(await d.decompress(b2))]).toEqual(second);
    d.close();
    deflate.close();
  });
});

describe('SpdySession', () => {
  function sessions(onStream: (s: SpdyStream) => void) {
    const [a, b] = pipePair();
    const server = new SpdySession(a, { role: 'server', onStream });
    const client = new SpdySession(b, { role: 'client' });
    return { server, client, a, b };
  }

  it('opens streams with headers, replies, carries data both ways and half-closes with FIN', async () => {
    const seen: string[] = [];
    const { server, client } = sessions((s) => {
      seen.push(`${s.id}:${s.header('streamtype')}`);
      s.reply();
      s.onData((d) => s.write(Buffer.from(d.toString().toUpperCase())));
      s.onEnd(() => s.end());
    });
    const st = await client.openStream([['streamtype', 'stdout']]);
    const got: Buffer[] = [];
    st.onData((d) => got.push(d));
    const ended = new Promise<void>((r) => st.onEnd(r));
    st.write(Buffer.from('hello'));
    st.end();
    await ended;
    expect(Buffer.concat(got).toString()).toBe('HELLO');
    expect(seen).toEqual(['1:stdout']);
    // Both sides closed: the stream is gone on both ends.
    await tick();
    expect(server.streams.size).toBe(0);
    expect(client.streams.size).toBe(0);
    client.close();
  });

  it('answers pings and refuses even stream ids from a client', async () => {
    const { client, b } = sessions((s) => s.reply());
    await client.ping();
    const parser = new SpdyFrameParser();
    const frames: unknown[] = [];
    b.on('data', (c: Buffer) => frames.push(...parser.push(c)));
    client.writeFrame(encodeSynStream(2, new HeaderCompressor().compress(encodeNameValueBlock([]))));
    // the reply crosses two in-memory sockets: wait for it (a fixed tick is too short on a loaded machine)
    const isRst = (f: unknown) => (f as { type?: string }).type === 'rst_stream';
    for (let i = 0; i < 400 && !frames.some(isRst); i++) await tick();
    expect(frames).toContainEqual({ type: 'rst_stream', streamId: 2, status: 1 });
    client.close();
  });

  it('a RST from the peer ends the stream on the other side', async () => {
    let serverStream!: SpdyStream;
    const reset = new Promise<number>((r) => {
      const { client } = sessions((s) => {
        serverStream = s;
        s.reply();
        s.onReset(r);
      });
      void client.openStream([['streamtype', 'data']]).then((st) => st.reset(5));
    });
    expect(await reset).toBe(5);
    expect(serverStream.remoteClosed).toBe(true);
  });

  it('flow control: a peer that announces a window gets no more than it, then the rest after WINDOW_UPDATE', async () => {
    const big = Buffer.alloc(200_000, 0x61);
    let serverStream!: SpdyStream;
    const { client, b } = sessions((s) => {
      serverStream = s;
      s.reply();
    });
    // The client announces a 1000-byte initial window and counts what arrives.
    client.writeFrame(encodeSettings([{ id: SETTINGS_INITIAL_WINDOW_SIZE, value: 1000 }]));
    const st = await client.openStream([['streamtype', 'stdout']]);
    let received = 0;
    st.onData((d) => (received += d.length));
    await tick();
    serverStream.write(big);
    await tick();
    expect(received).toBe(1000);
    client.writeFrame(encodeWindowUpdate(st.id, 500_000));
    client.writeFrame(encodeWindowUpdate(0, 500_000));
    await tick();
    expect(received).toBe(big.length);
    void b;
    client.close();
  });

  it('without flow control from the peer (Go spdystream) large output flows and the receiver grants window', async () => {
    const { client, b } = sessions((s) => {
      s.reply();
      s.onData(() => undefined);
    });
    const parser = new SpdyFrameParser();
    const updates: number[] = [];
    b.on('data', (c: Buffer) => {
      for (const f of parser.push(c)) if (f.type === 'window_update') updates.push(f.streamId);
    });
    const st = await client.openStream([['streamtype', 'stdin']]);
    st.write(Buffer.alloc(300_000, 1));
    await tick();
    // WINDOW_UPDATEs for the stream and for the session (stream 0).
    expect(updates).toContain(st.id);
    expect(updates).toContain(0);
    client.close();
  });

  it('closing the transport resets open streams and reports the close', async () => {
    let reset = false;
    const { server, client } = sessions((s) => {
      s.reply();
      s.onReset(() => (reset = true));
    });
    await client.openStream([['streamtype', 'data']]);
    const closed = new Promise<void>((r) => server.onClose(r));
    client.destroy();
    await closed;
    expect(reset).toBe(true);
  });
});
