/**
 * The Kubernetes channel protocols of exec/attach over WebSocket (upstream wsstream and
 * remotecommand): each message is one channel byte (0 stdin, 1 stdout, 2 stderr, 3 error,
 * 4 resize) followed by data; base64 variants send text messages with the channel as an ASCII
 * digit; v5 adds the close-stream message `[255, channel]` (half-close of stdin).
 */

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5: `[255, channel]` closes that stream (stdin: end of input). */
export const STREAM_CLOSE = 255;

export interface ChannelProtocol {
  /** Sec-WebSocket-Protocol value; '' when the client offered none (legacy channel.k8s.io). */
  name: string;
  /** 1 = channel.k8s.io … 5 = v5.channel.k8s.io: v3+ resize, v4+ Status JSON errors, v5 close. */
  version: 1 | 2 | 3 | 4 | 5;
  base64: boolean;
}

/** In the order upstream's kubelet/API server list them. */
export const CHANNEL_PROTOCOLS: readonly ChannelProtocol[] = [
  { name: 'v5.channel.k8s.io', version: 5, base64: false },
  { name: 'v4.channel.k8s.io', version: 4, base64: false },
  { name: 'v4.base64.channel.k8s.io', version: 4, base64: true },
  { name: 'v3.channel.k8s.io', version: 3, base64: false },
  { name: 'v3.base64.channel.k8s.io', version: 3, base64: true },
  { name: 'v2.channel.k8s.io', version: 2, base64: false },
  { name: 'v2.base64.channel.k8s.io', version: 2, base64: true },
  { name: 'channel.k8s.io', version: 1, base64: false },
  { name: 'base64.channel.k8s.io', version: 1, base64: true },
];

/** The client's offer, `Sec-WebSocket-Protocol: a, b` (repeated headers arrive joined). */
export function offeredProtocols(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Upstream's negotiation: the first protocol in the client's order that the server supports. No
 * offer at all means the legacy binary channel.k8s.io (and no protocol in the answer).
 */
export function negotiateChannelProtocol(offered: string[]): ChannelProtocol | undefined {
  if (offered.length === 0) return { name: '', version: 1, base64: false };
  for (const name of offered) {
    const p = CHANNEL_PROTOCOLS.find((c) => c.name === name);
    if (p) return p;
  }
  return undefined;
}

export function encodeChannelMessage(p: ChannelProtocol, channel: number, data: Buffer): { payload: Buffer; binary: boolean } {
  if (p.base64) return { payload: Buffer.from(String.fromCharCode(48 + channel) + data.toString('base64')), binary: false };
  const payload = Buffer.allocUnsafe(data.length + 1);
  payload[0] = channel;
  data.copy(payload, 1);
  return { payload, binary: true };
}

export type ChannelMessage = { channel: number; data: Buffer } | { close: number };

/** One client message; undefined for an empty message (upstream skips those). */
export function decodeChannelMessage(p: ChannelProtocol, payload: Buffer): ChannelMessage | undefined {
  if (payload.length === 0) return undefined;
  if (p.version >= 5 && !p.base64 && payload[0] === STREAM_CLOSE) {
    if (payload.length !== 2) throw new Error(`stream close signal must be 2 bytes, got ${payload.length}`);
    return { close: payload[1] };
  }
  if (p.base64) {
    const channel = payload[0] - 48;
    return { channel, data: Buffer.from(payload.subarray(1).toString('latin1'), 'base64') };
  }
  return { channel: payload[0], data: payload.subarray(1) };
}

/**
 * A JSON decoder over a stream: the complete top-level objects in `text` (one after another,
 * optionally separated by whitespace) and the bytes of an incomplete trailing one.
 */
function scanJsonObjects(text: string): { objects: string[]; rest: string } {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && depth > 0 && --depth === 0) objects.push(text.slice(start, i + 1));
  }
  return { objects, rest: depth > 0 ? text.slice(start) : '' };
}

/** The terminal size messages on the resize channel/stream: `{"Width":80,"Height":24}`, possibly several. */
export function parseResizeMessages(text: string): { width: number; height: number }[] {
  const out: { width: number; height: number }[] = [];
  for (const json of scanJsonObjects(text).objects) {
    try {
      const o = JSON.parse(json) as { Width?: unknown; Height?: unknown };
      if (typeof o.Width === 'number' && typeof o.Height === 'number') out.push({ width: o.Width, height: o.Height });
    } catch {
      // not a size: ignored, as upstream logs and goes on
    }
  }
  return out;
}

/** Bytes of an incomplete trailing JSON object (kept for the next chunk on a SPDY resize stream). */
export function incompleteTail(text: string): string {
  return scanJsonObjects(text).rest;
}
