/**
 * Images not in the catalog: a generic program that says so in its log, answers HTTP on the
 * declared ports (text, or JSON when the client asks for it) naming the image it stands in for,
 * and, like a PID 1 without a handler, ignores SIGTERM (the grace period's SIGKILL ends it). The
 * kubelet adds the Warning event. It has a busybox userland, so `sh -c …` commands work.
 */
import type { HttpRequest, HttpResponse, ProcessContext } from '../program';
import { formatDate } from '../tools/system';
import { busyboxUserland } from './os';

export const GENERIC_PROGRAM = 'generic';

export function genericFiles() {
  return busyboxUserland();
}

/** The responder's answer for one request. */
export function genericAnswer(image: string, hostname: string, port: number, req: HttpRequest): HttpResponse {
  const wantsJson = /application\/json/.test(req.headers.accept ?? '') || /[?&]format=json\b/.test(req.path);
  const message = `kubesim has no simulation for image "${image}"; this generic responder stands in for it`;
  const body = wantsJson
    ? JSON.stringify({ message, image, hostname, port, request: { method: req.method, path: req.path } }) + '\n'
    : `kubesim generic responder\nimage: ${image}\nhostname: ${hostname}\nport: ${port}\nrequest: ${req.method} ${req.path}\n`;
  return {
    status: 200,
    headers: { 'Content-Type': wantsJson ? 'application/json' : 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), 'X-Kubesim-Generic-Image': image },
    body: req.method === 'HEAD' ? '' : body,
  };
}

/** Keeps running and answers HTTP on the declared ports (the image's and the pod spec's). */
export async function genericProgram(ctx: ProcessContext, image: string, ports: number[] = []): Promise<number> {
  const cmd = ctx.argv.length ? ` (command ${JSON.stringify(ctx.argv)} is not interpreted)` : '';
  const stamp = () => formatDate(ctx.host.clock.now(), '%Y-%m-%dT%H:%M:%SZ');
  ctx.stdout.write(`kubesim: image "${image}" is not in the simulated image catalog; running a generic placeholder program${cmd}\n`);
  ctx.host.allocate(2_000_000);
  const unique = [...new Set(ports)].filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
  for (const port of unique) {
    try {
      ctx.host.listen(port, 'TCP', {
        address: '::',
        pid: ctx.pid,
        http: (req) => {
          ctx.stdout.write(`${stamp()} kubesim generic responder: ${req.method} ${req.path} from ${req.remoteAddress.replace(/^::ffff:/, '')} on port ${port}\n`);
          return genericAnswer(image, ctx.host.hostname, port, req);
        },
      });
      ctx.stdout.write(`kubesim: generic responder for "${image}" answering HTTP on port ${port}\n`);
    } catch (e) {
      ctx.stdout.write(`kubesim: port ${port}: ${(e as Error).message}\n`);
    }
  }
  return ctx.host.forever();
}
