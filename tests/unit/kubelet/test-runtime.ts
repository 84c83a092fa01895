/**
 * A small container runtime for kubelet tests (the real one lives in src-main/runtime): images
 * from a fixed catalog, and programs picked by the first word of command+args:
 *   echo <words…>            prints the words, exits 0
 *   exit <n>                 exits with n
 *   print-exit <n> <words…>  prints, then exits with n
 *   sleep-forever            runs until signalled (SIGTERM → 143, SIGKILL → 137)
 *   ignore-term              ignores SIGTERM; SIGKILL → 137
 *   tick <ms> [count]        prints `tick <i>` every ms on the cluster clock (count 0/absent: forever)
 *   run-for <ms> [code]      runs for ms, then exits with code (default 0)
 *   env                      prints NAME=value lines of its environment, exits 0
 *   nonl <text>              prints text without a newline, exits 0
 *   serve <port>             listens on the port until signalled: a real HTTP server on the pod's
 *                            network (`httpHandler`, else `httpStatus`), or its listeners() without one
 *   serve-tls <port>         the same over TLS with `tlsOptions` (key, cert)
 *   cat-stdin                copies its stdin (stdin: true) to stdout as it comes; exits 0 at EOF
 * exec in a running container: `check` exits 0 while `execOk`, else 1 with `unhealthy` on stderr.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:tls';
import type { Binding } from '../../../src-main/network/types';
import type { ContainerConfig, ContainerExit, ContainerProcess, ContainerRuntime, ImageInfo, ImageLookup } from '../../../src-main/runtime/types';

const SIZES: Record<string, number> = { busybox: 2_167_089, 'luksa/kubia': 256_381_024, nginx: 72_955_450, 'acme/shop': 1_000_000 };

export function imageRef(requested: string): { repo: string; tag: string; ref: string } {
  requested = requested.replace(/^docker\.io\//, '').replace(/^library\//, '');
  const at = requested.lastIndexOf(':');
  const hasTag = at > requested.lastIndexOf('/');
  const repo = hasTag ? requested.slice(0, at) : requested;
  const tag = hasTag ? requested.slice(at + 1) : 'latest';
  const full = repo.includes('/') ? `docker.io/${repo}` : `docker.io/library/${repo}`;
  return { repo, tag, ref: `${full}:${tag}` };
}

export class TestRuntime implements ContainerRuntime {
  readonly started: ContainerConfig[] = [];
  readonly signals: { id: string; sig: string }[] = [];
  pullMs = 1200;
  /** What `serve` answers over HTTP, and whether the exec `check` passes (tests flip them). */
  httpStatus = 200;
  execOk = true;
  /** Key and certificate of `serve-tls`. */
  tlsOptions?: { key: string; cert: string };
  /** Replaces the `httpStatus` answer of `serve` on the network. */
  httpHandler?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Requests `serve` received over the network: method, url, headers, the client's address. */
  readonly requests: { method: string; url: string; headers: Record<string, unknown>; remote: string }[] = [];

  lookup(image: string): ImageLookup {
    if (image === '' || /[A-Z ]/.test(image)) return { ok: false, message: `couldn't parse image name "${image}": invalid reference format`, invalidName: true };
    const { repo, tag, ref } = imageRef(image);
    const size = SIZES[repo];
    if (size === undefined || tag === 'nope') {
      return { ok: false, message: `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found` };
    }
    const digest = Buffer.from(ref).toString('hex').padEnd(64, '0').slice(0, 64);
    const info: ImageInfo = {
      requested: image,
      ref,
      imageID: `${ref.slice(0, ref.lastIndexOf(':'))}@sha256:${digest}`,
      sizeBytes: size,
      entrypoint: [],
      cmd: repo === 'busybox' ? ['sh'] : ['sleep-forever'],
      workingDir: '',
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      exposedPorts: repo === 'acme/shop' ? ['8080/tcp'] : [],
      ...(repo === 'acme/shop' ? { generic: true } : {}),
    };
    return { ok: true, image: info };
  }

  pullDurationMs(): number {
    return this.pullMs;
  }

  start(config: ContainerConfig): ContainerProcess {
    this.started.push(config);
    const words = [...(config.command ?? config.image.entrypoint), ...(config.args ?? (config.command ? [] : config.image.cmd))];
    const clock = config.clock;
    let settle!: (e: ContainerExit) => void;
    let done = false;
    const exited = new Promise<ContainerExit>((r) => (settle = r));
    const timers: unknown[] = [];
    const finish = (e: ContainerExit) => {
      if (done) return;
      done = true;
      binding?.close();
      for (const t of timers) clock.clearTimeout(t);
      settle(e);
    };
    let onTerm: (() => void) | undefined = () => finish({ exitCode: 143, signal: 'SIGTERM' });
    let listening: number | undefined;
    let binding: Binding | undefined;
    let catting = false;
    const [prog, ...rest] = words;
    // Programs run after start() returns, as a real process would.
    queueMicrotask(() => {
      switch (prog) {
        case 'echo':
          config.stdout(`${rest.join(' ')}\n`);
          finish({ exitCode: 0 });
          break;
        case 'exit':
          finish({ exitCode: Number(rest[0] ?? 0) });
          break;
        case 'print-exit':
          config.stdout(`${rest.slice(1).join(' ')}\n`);
          finish({ exitCode: Number(rest[0]) });
          break;
        case 'sleep-forever':
          break;
        case 'ignore-term':
          onTerm = undefined;
          break;
        case 'tick': {
          const every = Number(rest[0] ?? 1000);
          const count = Number(rest[1] ?? 0);
          let i = 0;
          const next = () => {
            timers.push(
              clock.setTimeout(() => {
                i++;
                config.stdout(`tick ${i}\n`);
                if (count > 0 && i >= count) finish({ exitCode: 0 });
                else next();
              }, every),
            );
          };
          next();
          break;
        }
        case 'run-for':
          timers.push(clock.setTimeout(() => finish({ exitCode: Number(rest[1] ?? 0) }), Number(rest[0])));
          break;
        case 'env':
          for (const e of config.env) config.stdout(`${e.name}=${e.value}\n`);
          finish({ exitCode: 0 });
          break;
        case 'serve':
        case 'serve-tls':
          listening = Number(rest[0]);
          if (config.net) {
            const server = createServer((req, res) => {
              this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, remote: req.socket.remoteAddress ?? '' });
              if (this.httpHandler) return this.httpHandler(req, res);
              res.statusCode = this.httpStatus;
              res.end('ok\n');
            });
            const tlsServer = prog === 'serve-tls' ? createTlsServer(this.tlsOptions ?? {}, (sock) => server.emit('connection', sock)) : undefined;
            binding = config.net.listen(listening, (conn) => (tlsServer ?? server).emit('connection', conn.socket), { program: prog });
          }
          break;
        case 'cat-stdin':
          catting = true;
          break;
        case 'nonl':
          config.stdout(rest.join(' '));
          finish({ exitCode: 0 });
          break;
        default:
          config.stderr(`exec: "${prog}": executable file not found in $PATH\n`);
          finish({ exitCode: 128, reason: 'StartError', message: `failed to create containerd task: exec: "${prog}": executable file not found in $PATH` });
      }
    });
    return {
      id: config.id,
      exited,
      exec: async (argv, io) => {
        if (done) return 126;
        if (argv[0] === 'check') {
          if (this.execOk) return 0;
          io.stderr('unhealthy\n');
          return 1;
        }
        return argv[0] === 'true' ? 0 : 1;
      },
      writeStdin: (chunk) => {
        if (config.stdin && catting && !done) config.stdout(chunk);
      },
      closeStdin: () => {
        if (catting) finish({ exitCode: 0 });
      },
      listeners: () =>
        listening === undefined || done || config.net
          ? []
          : [{ port: listening, protocol: 'TCP' as const, address: '0.0.0.0', http: () => ({ status: this.httpStatus, body: '' }), close: () => {} }],
      signal: (sig) => {
        this.signals.push({ id: config.id, sig });
        if (sig === 'SIGKILL') finish({ exitCode: 137, signal: 'SIGKILL' });
        else if (sig === 'SIGTERM') onTerm?.();
        else finish({ exitCode: 130, signal: 'SIGINT' });
      },
    };
  }
}
