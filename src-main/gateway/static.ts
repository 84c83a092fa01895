/**
 * Serves the built renderer (index.html and its hashed assets) with the right content types and
 * the security headers every gateway response carries.
 */
import { existsSync, statSync, createReadStream } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Strict: only this origin's scripts, styles, images and fetches; no framing, no plugins. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Where the built renderer is: the explicit option (only it, when given), else
 * `KUBESIM_RENDERER_DIR`, or `out/renderer` next to the running bundle (out/cli, out/main),
 * the sources (src-main/gateway) or the working directory. Undefined when none has index.html.
 */
export function findRendererDir(explicit?: string): string | undefined {
  const has = (dir: string) => existsSync(join(dir, 'index.html'));
  if (explicit) return has(resolve(explicit)) ? resolve(explicit) : undefined;
  const candidates: string[] = [];
  if (process.env.KUBESIM_RENDERER_DIR) candidates.push(process.env.KUBESIM_RENDERER_DIR);
  try {
    const here = fileURLToPath(new URL('.', import.meta.url));
    candidates.push(join(here, '../renderer'), join(here, '../../out/renderer'));
  } catch {
    // not a file: URL (bundled elsewhere); fall through to the working directory
  }
  candidates.push(join(process.cwd(), 'out/renderer'));
  return candidates.map((c) => resolve(c)).find(has);
}

/** Maps a URL path to a file under root, or undefined when it escapes root or doesn't exist. */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = resolve(root, rel);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    if (statSync(full).isFile()) return full;
  } catch {
    return undefined;
  }
  return undefined;
}

const NOT_BUILT = `<!doctype html><html><head><meta charset="utf-8"><title>kubesim</title></head>
<body style="font-family:sans-serif;margin:3em"><h1>kubesim</h1>
<p>The cluster is running, but the UI has not been built. Run <code>npm run build</code> and reload.</p>
<p>kubectl works meanwhile: <code>kubectl --context kubesim get nodes</code></p></body></html>`;

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Serves one renderer file; paths without a file extension fall back to index.html (client routes). */
export function serveStatic(req: IncomingMessage, res: ServerResponse, root: string | undefined, urlPath: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    send(req, res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
    return;
  }
  if (!root) {
    send(req, res, 503, 'text/html; charset=utf-8', NOT_BUILT);
    return;
  }
  let file = resolveStatic(root, urlPath);
  if (!file && extname(urlPath) === '') file = resolveStatic(root, '/');
  if (!file) {
    send(req, res, 404, 'text/plain; charset=utf-8', 'Not Found\n');
    return;
  }
  const size = statSync(file).size;
  const immutable = /[\\/]assets[\\/]/.test(file.slice(root.length));
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': contentTypeOf(file),
    'content-length': size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
