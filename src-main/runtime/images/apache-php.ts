/** Apache httpd 2.4 with mod_php as the php:*-apache images run it: start-up notices and access-log lines. */
import type { HttpRequest, ProcessContext } from '../program';
import { formatDate } from '../tools/system';
import { combinedLogLine } from './demo-http';

function errorStamp(ctx: ProcessContext): string {
  const ms = ctx.host.clock.now();
  return `[${formatDate(ms, '%a %b %d %H:%M:%S')}.${String((ms % 1000) * 1000).padStart(6, '0')} ${formatDate(ms, '%Y')}]`;
}

/** `apache2-foreground`'s start-up lines on stderr (the pod IP stands in for the FQDN, as upstream). */
export function apacheStartup(ctx: ProcessContext, apache: string, php: string): void {
  const ip = ctx.host.net?.ip ?? '127.0.0.1';
  const fqdn = `AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message\n`;
  ctx.stderr.write(fqdn + fqdn);
  ctx.stderr.write(`${errorStamp(ctx)} [mpm_prefork:notice] [pid 1] AH00163: Apache/${apache} (Debian) PHP/${php} configured -- resuming normal operations\n`);
  ctx.stderr.write(`${errorStamp(ctx)} [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'\n`);
}

/** One access-log line (apache's `combined`, to stdout as the php images configure it). */
export function apacheAccess(ctx: ProcessContext, req: HttpRequest, status: number, body: string): void {
  ctx.stdout.write(combinedLogLine(ctx, req, status, Buffer.byteLength(body)));
}

/** Runs until SIGTERM (apache's shutdown notice, exit 0) or SIGKILL. */
export async function apacheUntilStopped(ctx: ProcessContext): Promise<number> {
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  ctx.host.onSignal('SIGTERM', () => stop());
  await Promise.race([stopped, ctx.host.forever()]);
  ctx.stderr.write(`${errorStamp(ctx)} [mpm_prefork:notice] [pid 1] AH00169: caught SIGTERM, shutting down\n`);
  for (const l of ctx.host.listeners()) l.close();
  return 0;
}
