/**
 * Socket errors as programs see them: the errno number and libc's strerror text, so each program
 * can print its own wording (`connect() failed (111: Connection refused)` for nginx,
 * `wget: can't connect to remote host (10.96.0.5): Connection refused` for busybox, curl's exit 7).
 */

/** errno numbers (Linux x86-64) and strerror texts of the codes the network layer produces. */
const ERRNO: Record<string, [number, string]> = {
  EPIPE: [32, 'Broken pipe'],
  EADDRINUSE: [98, 'Address already in use'],
  EADDRNOTAVAIL: [99, 'Cannot assign requested address'],
  ENETUNREACH: [101, 'Network is unreachable'],
  ECONNRESET: [104, 'Connection reset by peer'],
  ETIMEDOUT: [110, 'Connection timed out'],
  ECONNREFUSED: [111, 'Connection refused'],
  EHOSTUNREACH: [113, 'No route to host'],
};

export class SocketError extends Error {
  /** `ECONNREFUSED`, …, or `ENOTFOUND` for a name that does not resolve. */
  readonly code: string;
  /** The errno (111 for ECONNREFUSED); 0 for ENOTFOUND (a resolver failure, not a socket error). */
  readonly errno: number;
  /** The name or address the program asked for (`redis`, `10.96.0.5`). */
  readonly host: string;

  /** `message` is libc's strerror text (`Connection refused`) or, for ENOTFOUND, `bad address`. */
  constructor(code: string, host: string, message?: string) {
    const known = ERRNO[code];
    super(message ?? known?.[1] ?? code);
    this.code = code;
    this.errno = known?.[0] ?? 0;
    this.host = host;
  }
}

/** A NetworkError (or a node socket error) from the network as a SocketError for `host`. */
export function socketError(e: unknown, host: string): SocketError {
  if (e instanceof SocketError) return e;
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'ECONNRESET';
  return new SocketError(code, host);
}

/** The name did not resolve (NXDOMAIN, or no resolver). */
export function hostNotFound(host: string): SocketError {
  return new SocketError('ENOTFOUND', host, 'bad address');
}
