/**
 * The gateway's own API under `/ui/` (not Kubernetes): what it offers (`/ui/features`) and the
 * port-forwards it runs for the UI (`/ui/port-forwards`). Same-origin fetch with the session
 * cookie; failures are Kubernetes Status objects, thrown as ApiError by api/kube.ts.
 */
import { getJson, request } from '../../api/kube';

export interface UiFeatures {
  hostTerminal: boolean;
  portForwards: boolean;
}

export type ForwardResource = 'pods' | 'services';

export interface PortForward {
  id: string;
  namespace: string;
  resource: ForwardResource;
  name: string;
  /** What was asked for: a pod's container port or a service port (number or name). */
  port: number | string;
  pod: string;
  podPort: number;
  address: string;
  localPort: number;
  url: string;
  startedAt: string;
  activeConnections: number;
  totalConnections: number;
  lastError?: { message: string; time: string };
}

export interface PortForwardRequest {
  namespace: string;
  resource: ForwardResource;
  name: string;
  port: number | string;
  /** Absent or 0: the gateway picks a free port. */
  localPort?: number;
}

export const FEATURES_PATH = '/ui/features';
export const FORWARDS_PATH = '/ui/port-forwards';
export const HOST_TERMINAL_PATH = '/ui/host-terminal';

export function getFeatures(signal?: AbortSignal): Promise<UiFeatures> {
  return getJson<UiFeatures>(FEATURES_PATH, signal);
}

export async function listPortForwards(signal?: AbortSignal): Promise<PortForward[]> {
  return (await getJson<{ items: PortForward[] }>(FORWARDS_PATH, signal)).items ?? [];
}

export async function startPortForward(req: PortForwardRequest): Promise<PortForward> {
  const res = await request(FORWARDS_PATH, { method: 'POST', body: JSON.stringify(req), headers: { 'content-type': 'application/json' } });
  return (await res.json()) as PortForward;
}

export async function stopPortForward(id: string): Promise<void> {
  await request(`${FORWARDS_PATH}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** `kubectl port-forward svc/web 8080:80` for a forward (what the user would type). */
export function kubectlCommand(f: Pick<PortForward, 'namespace' | 'resource' | 'name' | 'port'> & { localPort?: number }): string {
  const kind = f.resource === 'services' ? 'svc' : 'pod';
  const ns = f.namespace && f.namespace !== 'default' ? ` -n ${f.namespace}` : '';
  const ports = f.localPort ? `${f.localPort}:${f.port}` : `:${f.port}`;
  return `kubectl port-forward ${kind}/${f.name} ${ports}${ns}`;
}
