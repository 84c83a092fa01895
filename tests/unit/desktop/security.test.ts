import { describe, it, expect } from 'vitest';
import { CONTENT_SECURITY_POLICY, cspProblems, withCsp } from '../../../src-main/desktop/csp';
import { externalUrl, isAppUrl } from '../../../src-main/desktop/external-links';
import { escapeHtml, splashHtml, splashUrl } from '../../../src-main/desktop/splash';
import { createHash } from 'node:crypto';

const ORIGIN = 'http://127.0.0.1:41234';

describe('CSP', () => {
  it("the gateway's policy is strict enough for the desktop window", () => {
    expect(cspProblems(CONTENT_SECURITY_POLICY)).toEqual([]);
  });
  it('catches a loosened policy', () => {
    expect(cspProblems("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'")).toEqual([
      "script-src allows more than 'self' ('self' 'unsafe-inline')",
    ]);
    expect(cspProblems("default-src *")).toEqual(expect.arrayContaining(["default-src is not 'none'", 'script-src is missing', "object-src is not 'none'"]));
    expect(cspProblems(CONTENT_SECURITY_POLICY.replace("connect-src 'self'", "connect-src 'self' ws:"))).toEqual(["connect-src allows more than 'self' ('self' ws:)"]);
  });
  it('added to a UI response without one, never duplicated or replaced', () => {
    expect(withCsp({ 'Content-Type': ['text/html'] })).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    const own = { 'content-security-policy': ["default-src 'none'"] };
    expect(withCsp(own)).toEqual(own);
  });
});

describe('navigation and links', () => {
  it('the window stays on the UI origin', () => {
    expect(isAppUrl(`${ORIGIN}/#/r/core/v1/pods`, ORIGIN)).toBe(true);
    expect(isAppUrl('http://127.0.0.1:8080/', ORIGIN)).toBe(false); // a Service's URL
    expect(isAppUrl(`${ORIGIN}/`, undefined)).toBe(false);
    expect(isAppUrl('javascript:alert(1)', ORIGIN)).toBe(false);
  });
  it('only http(s) goes to the system browser', () => {
    expect(externalUrl('http://127.0.0.1:30080/')).toBe('http://127.0.0.1:30080/');
    expect(externalUrl('https://kubernetes.io/docs/home/')).toBe('https://kubernetes.io/docs/home/');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'vscode://x', 'data:text/html,x', 'not a url', 'http://user:pw@127.0.0.1/']) {
      expect(externalUrl(bad), bad).toBeUndefined();
    }
  });
});

describe('start-up page', () => {
  it('escapes the error text and allows its one stylesheet by hash, no script', () => {
    const html = splashHtml({ state: 'error', message: '<img src=x onerror=alert(1)> & "q"', apiUrl: null });
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62; &#38; &#34;q&#34;');
    expect(html).not.toMatch(/<script/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const hash = createHash('sha256').update(style).digest('base64');
    expect(html).toContain(`style-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
    expect(escapeHtml("'")).toBe('&#39;');
  });
  it('says what is happening', () => {
    expect(splashHtml({ state: 'starting', message: '', apiUrl: null })).toContain('Starting the cluster…');
    expect(Buffer.from(splashUrl({ state: 'stopping', message: '', apiUrl: null }).split(',')[1], 'base64').toString()).toContain('Stopping the cluster…');
  });
});
