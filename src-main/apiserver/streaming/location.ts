/**
 * The checks before a stream is opened, as upstream's pod strategy (ExecLocation, AttachLocation,
 * PortForwardLocation: the pod, its container, its node) and the kubelet's option parsing
 * (remotecommand.NewOptions) do them, with their texts.
 */
import type { KubeObject } from '../../api/types';
import { StatusError, badRequest, notFound } from '../../api/errors';
import type { ServerContext } from '../context';
import type { ResourceDef } from '../../api/resource';
import { readCurrent } from '../rest/write';

export type StreamingSubresource = 'exec' | 'attach' | 'portforward';

export function isStreamingSubresource(sub: string): sub is StreamingSubresource {
  return sub === 'exec' || sub === 'attach' || sub === 'portforward';
}

export interface StreamLocation {
  pod: KubeObject;
  namespace: string;
  name: string;
  uid: string;
  nodeName: string;
  /** exec/attach: the container chosen. */
  container: string;
}

export interface RemoteCommandOptions {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

function parseBool(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing "${v}": invalid syntax`);
}

/** PodExecOptions / PodAttachOptions from the query (kubectl: `stdout=true&command=echo&command=hi`). */
export function remoteCommandOptions(q: URLSearchParams, sub: 'exec' | 'attach'): RemoteCommandOptions {
  const tty = parseBool(q, 'tty');
  return {
    command: sub === 'exec' ? q.getAll('command') : [],
    stdin: parseBool(q, 'stdin'),
    stdout: parseBool(q, 'stdout'),
    // The kubelet drops stderr with a TTY: everything comes on stdout.
    stderr: parseBool(q, 'stderr') && !tty,
    tty,
  };
}

/**
 * What the kubelet answers before upgrading (plain text, 400), after the API server's checks. The
 * texts are the kubelet's; kubectl shows them as `unable to upgrade connection: …`.
 */
export function kubeletOptionsError(sub: 'exec' | 'attach', o: RemoteCommandOptions): string | undefined {
  if (!o.stdin && !o.stdout && !o.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  if (sub === 'exec' && o.command.length === 0) return 'missing command in exec request: you must specify at least one command for the container';
  return undefined;
}

interface ContainerRef {
  name: string;
}

function chooseContainer(pod: KubeObject, container: string, name: string): string {
  const spec = (pod.spec ?? {}) as { containers?: ContainerRef[]; initContainers?: ContainerRef[]; ephemeralContainers?: ContainerRef[] };
  const regular = spec.containers ?? [];
  const init = spec.initContainers ?? [];
  if (!container) {
    if (regular.length === 1) return regular[0].name;
    if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${regular.map((c) => c.name).join(' ')}]`;
    if (init.length) msg += ` or one of the init containers: [${init.map((c) => c.name).join(' ')}]`;
    throw badRequest(msg);
  }
  const all = [...init, ...regular, ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** Upstream's streamLocation (exec, attach) and PortForwardLocation. */
export function streamLocation(ctx: ServerContext, def: ResourceDef, ns: string, name: string, sub: StreamingSubresource, q: URLSearchParams): StreamLocation {
  if (def.group !== '' || def.plural !== 'pods') throw notFound(def.group, def.plural, name);
  const cur = readCurrent(ctx, def, ns, name);
  if (!cur) throw notFound('', 'pods', name);
  const pod = cur.object;
  const container = sub === 'portforward' ? '' : chooseContainer(pod, q.get('container') ?? '', name);
  const nodeName = ((pod.spec ?? {}) as { nodeName?: string }).nodeName ?? '';
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const phase = ((pod.status ?? {}) as { phase?: string }).phase;
  if (sub !== 'portforward' && (phase === 'Succeeded' || phase === 'Failed')) {
    throw badRequest(sub === 'exec' ? `cannot exec into a container in a completed pod; current phase is ${phase}` : `cannot attach a container in a completed pod; current phase is ${phase}`);
  }
  return { pod, namespace: ns, name, uid: pod.metadata.uid ?? '', nodeName, container };
}

/** Connect verbs of these subresources: GET and POST (upgrades). */
export function checkStreamingMethod(method: string): void {
  if (method !== 'GET' && method !== 'POST') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** A plain (non-upgrade) request to exec/attach/portforward, as upstream's upgrade-aware proxy answers it. */
export function streamingWithoutUpgrade(ctx: ServerContext, def: ResourceDef, ns: string, name: string, sub: StreamingSubresource, method: string, q: URLSearchParams): never {
  checkStreamingMethod(method);
  if (sub !== 'portforward') remoteCommandOptions(q, sub);
  streamLocation(ctx, def, ns, name, sub, q);
  throw badRequest('Upgrade request required');
}
