/**
 * The Kubernetes WebSocket channel protocols of `pods/exec` and `pods/attach` (pure; no DOM):
 * every message is one channel byte followed by the data — stdin 0, stdout 1, stderr 2, error 3
 * (the Status JSON that ends the session), resize 4 (`{"Width":…,"Height":…}`) — and in
 * `v5.channel.k8s.io` a close message (255, then the channel) half-closes a stream. The base64
 * protocols send text messages: the channel as an ASCII digit, then the data in base64.
 */

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5: `[255, channel]` closes that channel (the client's stdin). */
export const CLOSE = 255;

/** What the UI offers for exec/attach, best first. */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v4.base64.channel.k8s.io', 'base64.channel.k8s.io'] as const;

export function isBase64Protocol(protocol: string): boolean {
  return protocol.includes('base64.channel.k8s.io');
}

export function protocolVersion(protocol: string): number {
  const m = /^v(\d+)\./.exec(protocol);
  return m ? Number(m[1]) : 1;
}

const encoder = new TextEncoder();

function bytesOf(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** One message for `channel`: binary (ArrayBuffer-backed bytes) or, for base64 protocols, text. */
export function encodeMessage(protocol: string, channel: number, data: Uint8Array | string): Uint8Array | string {
  const bytes = bytesOf(data);
  if (isBase64Protocol(protocol)) return String(channel) + toBase64(bytes);
  const out = new Uint8Array(bytes.length + 1);
  out[0] = channel;
  out.set(bytes, 1);
  return out;
}

export interface ChannelData {
  channel: number;
  data: Uint8Array;
}

/** A received message, or undefined for an empty one. */
export function decodeMessage(protocol: string, message: ArrayBuffer | Uint8Array | string): ChannelData | undefined {
  if (typeof message === 'string') {
    if (message.length === 0) return undefined;
    const channel = message.charCodeAt(0) - 48;
    return { channel, data: isBase64Protocol(protocol) ? fromBase64(message.slice(1)) : encoder.encode(message.slice(1)) };
  }
  const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
  if (bytes.length === 0) return undefined;
  return { channel: bytes[0], data: bytes.subarray(1) };
}

/** The terminal size message (channel 4): `{"Width":cols,"Height":rows}`. */
export function resizeMessage(protocol: string, cols: number, rows: number): Uint8Array | string {
  return encodeMessage(protocol, RESIZE, JSON.stringify({ Width: Math.max(1, Math.floor(cols)), Height: Math.max(1, Math.floor(rows)) }));
}

/** v5's close signal for one channel; undefined for older protocols (they cannot half-close). */
export function closeMessage(protocol: string, channel: number): Uint8Array | undefined {
  if (protocolVersion(protocol) < 5 || isBase64Protocol(protocol)) return undefined;
  return new Uint8Array([CLOSE, channel]);
}

export interface ExitResult {
  /** The command's exit code (0 on Success). Undefined when the session failed otherwise. */
  exitCode?: number;
  /** The Status message when the command could not run (InternalError, …). */
  error?: string;
}

/**
 * The error channel's Status → how the command ended: `Success` is 0, `NonZeroExitCode` carries
 * the code as the `ExitCode` cause (what kubectl prints as "command terminated with exit code N");
 * anything else is an error with its message. v1–v3 sent plain text, which is an error.
 */
export function exitFromStatus(text: string): ExitResult {
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { error: text.trim() || 'the session ended with an error' };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { error: status.message ?? 'the session ended with an error' };
}

/** The runtime's refusal when the command is not in the image (e.g. bash in busybox/alpine). */
export function isCommandNotFound(r: ExitResult): boolean {
  if (r.error && /executable file not found|no such file or directory/i.test(r.error)) return true;
  return r.exitCode === 127 || r.exitCode === 126;
}
