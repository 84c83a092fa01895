/**
 * The window's Content-Security-Policy. The UI gateway sends a strict one on every response
 * (gateway/static.ts); the window enforces the same policy on UI responses that lack it, so the
 * renderer never runs without one. Pure.
 */
import { CONTENT_SECURITY_POLICY } from '../gateway/static';

export { CONTENT_SECURITY_POLICY };

/** What a policy must (not) say for the desktop window: no inline or eval'd code, no framing. */
export function cspProblems(csp: string): string[] {
  const directives = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  const problems: string[] = [];
  if (directives.get('default-src')?.join(' ') !== "'none'") problems.push("default-src is not 'none'");
  for (const d of ['script-src', 'style-src', 'connect-src']) {
    const v = directives.get(d);
    if (!v) problems.push(`${d} is missing`);
    else if (v.some((x) => x !== "'self'")) problems.push(`${d} allows more than 'self' (${v.join(' ')})`);
  }
  if (directives.get('object-src')?.join(' ') !== "'none'") problems.push("object-src is not 'none'");
  if (directives.get('frame-ancestors')?.join(' ') !== "'none'") problems.push("frame-ancestors is not 'none'");
  if (!directives.has('base-uri')) problems.push('base-uri is missing');
  return problems;
}

/** Response headers with the CSP added when the response has none (header names are case-insensitive). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[] | string> {
  const out = { ...(headers ?? {}) };
  if (!Object.keys(out).some((k) => k.toLowerCase() === 'content-security-policy')) out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}
