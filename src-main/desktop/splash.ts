/**
 * The page the window shows until the cluster's UI is up (or when it could not start): a
 * self-contained `data:` URL with its own strict CSP (its one stylesheet allowed by hash, no
 * script), so the window opens at once instead of waiting for the cluster. Pure.
 */
import { createHash } from 'node:crypto';
import type { ClusterStatus } from '../shared/ipc';

const STYLE = `:root{color-scheme:light dark;font:15px/1.5 system-ui,sans-serif}
body{margin:0;height:100vh;display:grid;place-items:center;background:#f4f6fa;color:#1c2333}
@media (prefers-color-scheme:dark){body{background:#0f141d;color:#dbe2ee}}
main{max-width:36rem;padding:2rem;text-align:center}
h1{font-size:1.25rem;margin:0 0 .5rem}
p{margin:0;opacity:.8;white-space:pre-wrap;word-break:break-word}
.dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.5rem;background:#326ce5;animation:p 1.2s ease-in-out infinite}
.error .dot{background:#d64545;animation:none}
@keyframes p{50%{opacity:.3}}`;

const HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${HASH}'; base-uri 'none'; form-action 'none'`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function splashHtml(status: ClusterStatus): string {
  const error = status.state === 'error';
  const title = error ? 'The cluster could not start' : status.state === 'stopping' ? 'Stopping the cluster…' : 'Starting the cluster…';
  const detail = error
    ? `${status.message}\n\nCluster → Restart Cluster tries again; Cluster → Restart with Default Settings forgets the data folder, port and node count set in Settings.`
    : 'kubesim is starting its API server, controllers and nodes.';
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><title>kubesim</title><style>${STYLE}</style></head><body class="${error ? 'error' : ''}"><main><h1><span class="dot"></span>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></main></body></html>`;
}

export function splashUrl(status: ClusterStatus): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(splashHtml(status)).toString('base64')}`;
}
