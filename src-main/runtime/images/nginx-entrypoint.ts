/**
 * The nginx image's `/docker-entrypoint.sh` (images from 1.18.0 on): runs the
 * /docker-entrypoint.d scripts in `sort -V` order with their log lines, then execs its arguments.
 * 10-listen-on-ipv6-by-default.sh really edits default.conf (only the packaged file, not a
 * mounted or changed one), 20-envsubst-on-templates.sh renders /etc/nginx/templates/*.template.
 */
import type { ProcessContext } from '../program';
import { PACKAGED_DEFAULT_CONFS } from './nginx-files';

const ME = '/docker-entrypoint.sh';

/**
 * Not an async function: its `exec "$@"` hands the process to nginx (ContainerHost.spawn with
 * replacePid), whose promise is returned as is, so no frame of this script waits behind a running
 * nginx (10 000 idle pods). Runs synchronously up to the exec.
 */
export function nginxEntrypoint(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const fs = ctx.host.fs;
  const quiet = (ctx.env.get('NGINX_ENTRYPOINT_QUIET_LOGS') ?? '') !== '';
  const log = (line: string) => {
    if (!quiet) ctx.stdout.write(line + '\n');
  };
  if (args[0] === 'nginx' || args[0] === 'nginx-debug') {
    const dir = '/docker-entrypoint.d';
    const entries = fs.stat(dir)?.kind === 'dir' ? fs.readdir(dir).filter((n) => fs.stat(`${dir}/${n}`)?.kind === 'file') : [];
    if (entries.length) {
      log(`${ME}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`);
      log(`${ME}: Looking for shell scripts in /docker-entrypoint.d/`);
      for (const name of entries.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
        const path = `${dir}/${name}`;
        const executable = (fs.stat(path)!.mode & 0o111) !== 0;
        if (name.endsWith('.envsh')) {
          if (!executable) log(`${ME}: Ignoring ${path}, not executable`);
          else log(`${ME}: Sourcing ${path}`);
        } else if (name.endsWith('.sh')) {
          if (!executable) {
            log(`${ME}: Ignoring ${path}, not executable`);
            continue;
          }
          log(`${ME}: Launching ${path}`);
          if (name === '10-listen-on-ipv6-by-default.sh') listenOnIpv6(ctx, log);
          else if (name === '20-envsubst-on-templates.sh') envsubstTemplates(ctx, log);
          else if (name === '30-tune-worker-processes.sh') tuneWorkers(ctx, log);
        } else log(`${ME}: Ignoring ${path}`);
      }
      log(`${ME}: Configuration complete; ready for start up`);
    } else log(`${ME}: No files found in /docker-entrypoint.d/, skipping configuration`);
  }
  if (!args.length) return Promise.resolve(0);
  const found = ctx.host.which(args[0]!, ctx.env.get('PATH') ?? '', ctx.cwd);
  if (!found) {
    ctx.stderr.write(`${ME}: exec: line 47: ${args[0]}: not found\n`);
    return Promise.resolve(127);
  }
  return ctx.host.spawn(args, { replacePid: ctx.pid, env: ctx.env, cwd: ctx.cwd, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
}

function canWrite(ctx: ProcessContext, path: string): boolean {
  try {
    ctx.host.fs.writeFile(path, '', { append: true });
    return true;
  } catch {
    return false;
  }
}

function listenOnIpv6(ctx: ProcessContext, log: (l: string) => void): void {
  const me = '10-listen-on-ipv6-by-default.sh';
  const file = '/etc/nginx/conf.d/default.conf';
  const fs = ctx.host.fs;
  if (fs.stat(file)?.kind !== 'file') {
    log(`${me}: info: ${file} is not a file or does not exist`);
    return;
  }
  if (!canWrite(ctx, file)) {
    log(`${me}: info: can not modify ${file} (read-only file system?)`);
    return;
  }
  const text = fs.readFile(file);
  if (text.includes('listen  [::]:80;')) {
    log(`${me}: info: IPv6 listen already enabled`);
    return;
  }
  log(`${me}: info: Getting the checksum of ${file}`);
  if (!PACKAGED_DEFAULT_CONFS.has(text)) {
    log(`${me}: info: ${file} differs from the packaged version`);
    return;
  }
  fs.writeFile(file, withIpv6Listen(text));
  log(`${me}: info: Enabled listen on IPv6 in ${file}`);
}

/** The edited packaged texts, one string per packaged default.conf (shared by every container's copy). */
const IPV6_CONFS = new Map<string, string>();

function withIpv6Listen(packaged: string): string {
  let edited = IPV6_CONFS.get(packaged);
  if (edited === undefined) IPV6_CONFS.set(packaged, (edited = packaged.replace('listen       80;', 'listen       80;\n    listen  [::]:80;')));
  return edited;
}

function envsubstTemplates(ctx: ProcessContext, log: (l: string) => void): void {
  const me = '20-envsubst-on-templates.sh';
  const fs = ctx.host.fs;
  const templateDir = ctx.env.get('NGINX_ENVSUBST_TEMPLATE_DIR') || '/etc/nginx/templates';
  const suffix = ctx.env.get('NGINX_ENVSUBST_TEMPLATE_SUFFIX') || '.template';
  const outputDir = ctx.env.get('NGINX_ENVSUBST_OUTPUT_DIR') || '/etc/nginx/conf.d';
  if (fs.stat(templateDir)?.kind !== 'dir') return;
  const filter = ctx.env.get('NGINX_ENVSUBST_FILTER') ?? '';
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdir(dir)) {
      const path = `${dir}/${name}`;
      if (fs.stat(path)?.kind === 'dir') walk(path, `${rel}${name}/`);
      else if (name.endsWith(suffix) && !name.startsWith('..')) {
        const out = `${outputDir}/${rel}${name.slice(0, -suffix.length)}`;
        log(`${me}: Running envsubst on ${path} to ${out}`);
        const text = fs.readFile(path).replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => {
          const k = (a ?? b)!;
          if (filter && !new RegExp(filter).test(k)) return m;
          const v = ctx.env.get(k);
          return v === undefined ? m : v;
        });
        try {
          fs.mkdir(out.slice(0, out.lastIndexOf('/')), { parents: true });
          fs.writeFile(out, text);
        } catch {
          log(`${me}: ERROR: ${templateDir} exists, but ${outputDir} is not writable`);
          return;
        }
      }
    }
  };
  walk(templateDir, '');
}

function tuneWorkers(ctx: ProcessContext, log: (l: string) => void): void {
  if (!ctx.env.get('NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE')) return;
  const me = '30-tune-worker-processes.sh';
  const fs = ctx.host.fs;
  const conf = '/etc/nginx/nginx.conf';
  if (!canWrite(ctx, conf)) {
    log(`${me}: info: can not modify ${conf} (read-only file system?)`);
    return;
  }
  const text = fs.readFile(conf);
  fs.writeFile(conf, text.replace(/^(worker_processes)(.*)$/m, `# Commented out by ${me}\n#$1$2\n$1 2;`));
}
