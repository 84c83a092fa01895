/**
 * nginx's built-in texts: the special-response pages (`<center>nginx/1.27.5</center>`, with
 * `bgcolor="white"` before 1.15.4), the welcome and 50x pages per era of html/index.html, the
 * autoindex listing, and the access-log variable substitution.
 */
import { formatDate } from '../tools/system';

export const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Authorization Required',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
};

/** `[major, minor, patch]` of `1.27.5`. */
export function versionParts(v: string): number[] {
  return v.split('.').map((x) => Number(x) || 0);
}

/** a ≥ b for dotted versions. */
export function versionAtLeast(v: string, min: string): boolean {
  const a = versionParts(v);
  const b = versionParts(min);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/** nginx's page for a status without a body of its own (error pages and redirects). */
export function specialPage(status: number, version: string): string {
  const title = `${status} ${REASONS[status] ?? ''}`.trim();
  const body = versionAtLeast(version, '1.15.4') ? '<body>' : '<body bgcolor="white">';
  return `<html>\r\n<head><title>${title}</title></head>\r\n${body}\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

/** html/index.html until 1.21.1 (612 bytes). */
export const INDEX_HTML_2012 = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** html/index.html from 1.21.2 (615 bytes, dark mode). */
export const INDEX_HTML_2021 = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const HTML_50X_OLD = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

export const HTML_50X_2021 = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

export function indexHtml(version: string): string {
  return versionAtLeast(version, '1.21.2') ? INDEX_HTML_2021 : INDEX_HTML_2012;
}

export function html50x(version: string): string {
  return versionAtLeast(version, '1.21.2') ? HTML_50X_2021 : HTML_50X_OLD;
}

/** `autoindex on;`: the listing nginx renders (names padded to 50 columns, size right-aligned). */
export function autoindexPage(uri: string, entries: { name: string; dir: boolean; mtime: number; size: number }[], version: string): string {
  const body = versionAtLeast(version, '1.15.4') ? '<body>' : '<body bgcolor="white">';
  let out = `<html>\r\n<head><title>Index of ${uri}</title></head>\r\n${body}\r\n<h1>Index of ${uri}</h1><hr><pre><a href="../">../</a>\r\n`;
  const sorted = [...entries].sort((a, b) => (a.dir === b.dir ? (a.name < b.name ? -1 : 1) : a.dir ? -1 : 1));
  for (const e of sorted) {
    const name = e.dir ? `${e.name}/` : e.name;
    const shown = name.length > 50 ? `${name.slice(0, 47)}..&gt;` : name;
    const pad = ' '.repeat(Math.max(1, 51 - Math.min(name.length, 50)));
    out += `<a href="${encodeURI(name)}">${shown}</a>${pad}${formatDate(e.mtime, '%d-%b-%Y %H:%M')} ${(e.dir ? '-' : String(e.size)).padStart(19)}\r\n`;
  }
  return out + '</pre><hr></body>\r\n</html>\r\n';
}

/** Substitutes `$var` / `${var}` in a log_format or `return` text; missing values → `fallback`. */
export function substitute(format: string, get: (name: string) => string | undefined, fallback = '-'): string {
  const parts = compiled(format);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const v = get(parts[i]!);
    out += (v === undefined || v === '' ? fallback : v) + parts[i + 1]!;
  }
  return out;
}

/** A format split once into text, variable, text, …, text (log formats are expanded per request). */
const compiledFormats = new Map<string, string[]>();

function compiled(format: string): string[] {
  let parts = compiledFormats.get(format);
  if (parts) return parts;
  parts = [];
  const re = /\$(?:\{(\w+)\}|(\w+))/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    parts.push(format.slice(last, m.index), (m[1] ?? m[2])!);
    last = m.index + m[0].length;
  }
  parts.push(format.slice(last));
  // formats come from configurations; a bounded cache keeps odd ones (rewrites with many values) from piling up
  if (compiledFormats.size >= 256) compiledFormats.clear();
  compiledFormats.set(format, parts);
  return parts;
}
