/**
 * Images not in the catalog: a generic program that says so in its log and keeps running
 * (the kubelet adds a Warning event). It has a busybox userland, so `sh -c …` commands work.
 */
import type { ProcessContext } from '../program';
import { busyboxUserland } from './os';

export const GENERIC_PROGRAM = 'generic';

export function genericFiles() {
  return busyboxUserland();
}

/** Keeps running and answers HTTP on the declared ports (the image's and the pod spec's). */
export async function genericProgram(ctx: ProcessContext, image: string, ports: number[] = []): Promise<number> {
  const cmd = ctx.argv.length ? ` (command ${JSON.stringify(ctx.argv)} is not interpreted)` : '';
  ctx.stdout.write(`kubesim: image "${image}" is not in the simulated image catalog; running a generic placeholder program${cmd}\n`);
  ctx.host.allocate(2_000_000);
  for (const port of new Set(ports)) {
    ctx.host.listen(port, 'TCP', {
      address: '::',
      pid: ctx.pid,
      http: (req) => ({
        status: 200,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: `kubesim generic responder\nimage: ${image}\nhostname: ${ctx.host.hostname}\nport: ${port}\nrequest: ${req.method} ${req.path}\n`,
      }),
    });
  }
  return ctx.host.forever();
}
