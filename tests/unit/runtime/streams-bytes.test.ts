/** Streams carry bytes exactly (invalid UTF-8 included) next to text; text readers decode across chunks. */
import { describe, expect, it } from 'vitest';
import { Collector, Input, PIPE_BUFFER, Pipe, Utf8Decoder, incompleteUtf8Tail } from '../../../src-main/runtime/streams';

const BIN = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x0a, 0xed, 0xa0, 0x80]);

describe('streams: bytes', () => {
  it('bytes that are not UTF-8 come out exactly (readAllBytes, readRaw, readBytes)', async () => {
    const i = Input.of(BIN);
    expect((await i.readAllBytes()).equals(BIN)).toBe(true);
    const p = new Pipe();
    p.output.write(BIN.subarray(0, 3));
    p.output.write(BIN.subarray(3));
    p.close();
    const raw = await p.input.readRaw();
    expect(Buffer.isBuffer(raw) && raw.equals(BIN)).toBe(true);
    expect(await p.input.readRaw()).toBeNull();
  });

  it('text and bytes keep their order; text written is its UTF-8 bytes', async () => {
    const i = new Input();
    i.push('a€');
    i.push(Buffer.from([0xff]));
    i.push('b');
    i.end();
    expect([...(await i.readAllBytes())]).toEqual([0x61, 0xe2, 0x82, 0xac, 0xff, 0x62]);
  });

  it('text only: readRaw gives the string itself (no conversion for text pipelines)', async () => {
    const i = new Input();
    i.push('one\n');
    i.push('two\n');
    i.end();
    expect(await i.readRaw()).toBe('one\ntwo\n');
  });

  it('a character split between two byte chunks reaches text readers whole', async () => {
    const i = new Input();
    i.push(Buffer.from([0x68, 0xc3]));
    const line = i.readLine();
    i.push(Buffer.from([0xa9, 0x0a, 0xe2, 0x82]));
    expect(await line).toBe('hé');
    const next = i.read();
    i.push(Buffer.from([0xac]));
    expect(await next).toBe('€');
    // an unfinished character at the end of the stream is U+FFFD, as a decoder would say
    i.push(Buffer.from([0xe2]));
    i.end();
    expect(await i.read()).toBe('\ufffd');
    expect(await i.read()).toBeNull();
  });

  it('byte chunks count toward the 64 KiB pipe buffer (back-pressure)', async () => {
    const p = new Pipe();
    p.output.write(Buffer.alloc(PIPE_BUFFER + 1));
    const d = p.output.drain!();
    expect(d).toBeInstanceOf(Promise);
    expect((await p.input.readBytes())!.length).toBe(PIPE_BUFFER + 1);
    await d;
    expect(p.output.drain!()).toBeUndefined();
  });

  it('Input.pull makes chunks as they are read (a device) until the reader closes it', async () => {
    let n = 0;
    const i = Input.pull(() => Buffer.from([n++]));
    expect([...(await i.readBytes())!]).toEqual([0]);
    expect([...(await i.readBytes())!]).toEqual([1]);
    i.close();
    expect(n).toBe(2);
  });

  it('Collector (command substitution) and Utf8Decoder decode split characters', () => {
    const c = new Collector();
    c.write(Buffer.from([0xc3]));
    c.write(Buffer.from([0xa9]));
    c.write('!');
    expect(c.text).toBe('é!');
    const d = new Utf8Decoder();
    expect(d.write(Buffer.from([0xf0, 0x9f]))).toBe('');
    expect(d.write(Buffer.from([0x98, 0x80, 0x41]))).toBe('😀A');
    expect(incompleteUtf8Tail(Buffer.from([0x41, 0xe2, 0x82]))).toBe(2);
    expect(incompleteUtf8Tail(Buffer.from([0x41, 0xff]))).toBe(0);
    expect(incompleteUtf8Tail(Buffer.from([0xe2, 0x82, 0xac]))).toBe(0);
  });
});
