/**
 * The gateway's session: a random secret printed once in the UI URL. Visiting
 * `/?session=<secret>` stores it in an HttpOnly, SameSite=Strict cookie; every API request must
 * carry that cookie. Host and Origin checks keep other sites (DNS rebinding, CSRF) out.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE_NAME = 'kubesim_session';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of a presented secret with the real one. */
export function secretMatches(secret: string, presented: string | undefined | null): boolean {
  if (!presented) return false;
  const a = Buffer.from(secret);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of one cookie from a `Cookie` header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(secret: string): string {
  return `${COOKIE_NAME}=${secret}; Path=/; HttpOnly; SameSite=Strict`;
}

export function hasSession(req: IncomingMessage, secret: string): boolean {
  return secretMatches(secret, cookieValue(req.headers.cookie, COOKIE_NAME));
}

/** The Host values this gateway answers to (anything else may be a DNS-rebinding attempt). */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return allowedHosts(port).has(host);
}

/**
 * A cross-site write is refused: when the browser says where a request comes from (`Origin`),
 * it must be this gateway. Requests without Origin (curl, same-origin GETs) pass; the cookie
 * still has to be there.
 */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const hosts = allowedHosts(port);
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && hosts.has(u.host.toLowerCase());
  } catch {
    return false;
  }
}
