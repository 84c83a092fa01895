/** The renderer's channel framing of v5/v4/base64.channel.k8s.io and the exit code from the error channel's Status. */
import { describe, expect, it } from 'vitest';
import { closeMessage, decodeMessage, encodeMessage, exitFromStatus, isCommandNotFound, resizeMessage } from '../../../src-renderer/api/ws-channels';
import { encodeChannelMessage, decodeChannelMessage, negotiateChannelProtocol, parseResizeMessages } from '../../../src-main/apiserver/streaming/channels';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('channel framing', () => {
  it('binary protocols: one channel byte, then the data', () => {
    const m = encodeMessage('v5.channel.k8s.io', 0, 'ls\n') as Uint8Array;
    expect([...m]).toEqual([0, 0x6c, 0x73, 0x0a]);
    const d = decodeMessage('v5.channel.k8s.io', new Uint8Array([1, 0x68, 0x69]).buffer);
    expect(d?.channel).toBe(1);
    expect(text(d!.data)).toBe('hi');
    expect(decodeMessage('v4.channel.k8s.io', new ArrayBuffer(0))).toBeUndefined();
  });

  it('base64 protocols: text messages, the channel as an ASCII digit', () => {
    expect(encodeMessage('v4.base64.channel.k8s.io', 0, 'hé')).toBe(`0${Buffer.from('hé').toString('base64')}`);
    const d = decodeMessage('base64.channel.k8s.io', `2${Buffer.from('oops\n').toString('base64')}`);
    expect(d?.channel).toBe(2);
    expect(text(d!.data)).toBe('oops\n');
  });

  it('the server decodes what the renderer encodes, for every protocol it negotiates', () => {
    for (const name of ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'base64.channel.k8s.io']) {
      const p = negotiateChannelProtocol([name])!;
      expect(p.name).toBe(name);
      const out = encodeMessage(name, 0, 'echo hi\n');
      const payload = typeof out === 'string' ? Buffer.from(out) : Buffer.from(out);
      const got = decodeChannelMessage(p, payload);
      expect(got && 'channel' in got ? [got.channel, got.data.toString()] : got).toEqual([0, 'echo hi\n']);
      const back = encodeChannelMessage(p, 1, Buffer.from('hi\n'));
      const d = decodeMessage(name, back.binary ? new Uint8Array(back.payload) : back.payload.toString());
      expect([d?.channel, text(d!.data)]).toEqual([1, 'hi\n']);
    }
  });

  it('resize is {"Width":cols,"Height":rows} on channel 4, as the server parses it', () => {
    const m = resizeMessage('v5.channel.k8s.io', 120.7, 40) as Uint8Array;
    expect(m[0]).toBe(4);
    expect(text(m.subarray(1))).toBe('{"Width":120,"Height":40}');
    expect(parseResizeMessages(text(m.subarray(1)))).toEqual([{ width: 120, height: 40 }]);
  });

  it('v5 closes stdin with [255, 0]; older protocols cannot', () => {
    expect([...closeMessage('v5.channel.k8s.io', 0)!]).toEqual([255, 0]);
    const p = negotiateChannelProtocol(['v5.channel.k8s.io'])!;
    expect(decodeChannelMessage(p, Buffer.from(closeMessage('v5.channel.k8s.io', 0)!))).toEqual({ close: 0 });
    expect(closeMessage('v4.channel.k8s.io', 0)).toBeUndefined();
  });
});

describe('exit code from the Status', () => {
  it('Success is 0', () => {
    expect(exitFromStatus('{"metadata":{},"status":"Success"}')).toEqual({ exitCode: 0 });
  });
  it('NonZeroExitCode carries the code as the ExitCode cause', () => {
    const s = { metadata: {}, status: 'Failure', message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } };
    expect(exitFromStatus(JSON.stringify(s))).toEqual({ exitCode: 3 });
  });
  it('any other Failure is an error with its message; plain text (v1–v3) too', () => {
    const msg = 'Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "abc": OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown';
    const r = exitFromStatus(JSON.stringify({ status: 'Failure', reason: 'InternalError', message: msg }));
    expect(r).toEqual({ error: msg });
    expect(isCommandNotFound(r)).toBe(true);
    expect(isCommandNotFound({ exitCode: 127 })).toBe(true);
    expect(isCommandNotFound({ exitCode: 3 })).toBe(false);
    expect(exitFromStatus('command terminated\n')).toEqual({ error: 'command terminated' });
  });
});
