/**
 * A pod's sandbox as far as the network goes (the CRI's RunPodSandbox + the CNI ADD/DEL): the pod
 * IP from the node's podCIDR and the pod's network namespace (`ClusterNetwork.createPodNetwork`),
 * shared by all its containers, torn down together when the sandbox goes away.
 *
 * hostNetwork pods have no namespace of their own: they share the node's (one PodNetwork on the
 * node's InternalIP, created with the first such pod and closed with the last), and their podIP is
 * the node's IP, as upstream reports it. While one runs, connections to that node IP reach the
 * node namespace's listeners (a NodePort on that node IP is then answered by the node namespace,
 * i.e. refused unless a hostNetwork pod listens there).
 */
import { randomBytes } from 'node:crypto';
import type { ClusterNetwork, PodIdentity, PodNetwork } from '../network/types';
import type { PodIpAllocator } from './ip-allocator';

/** The node's own network namespace, shared by its hostNetwork pods (reference counted by pod uid). */
export class HostNetworkNamespace {
  private net?: PodNetwork;
  private readonly users = new Set<string>();

  constructor(
    private readonly network: ClusterNetwork,
    readonly ip: string,
    private readonly nodeName: string,
  ) {}

  acquire(uid: string): PodNetwork {
    if (!this.net) this.net = this.network.createPodNetwork(this.ip, { namespace: '', name: this.nodeName, uid: '', nodeName: this.nodeName });
    this.users.add(uid);
    return this.net;
  }

  release(uid: string): void {
    if (!this.users.delete(uid) || this.users.size > 0) return;
    this.net?.close();
    this.net = undefined;
  }

  close(): void {
    this.users.clear();
    this.net?.close();
    this.net = undefined;
  }
}

export interface SandboxDeps {
  ips: PodIpAllocator;
  hostIP: string;
  network?: ClusterNetwork;
  hostNetwork?: HostNetworkNamespace;
}

/** Why a sandbox could not be created: the FailedCreatePodSandBox event's text. */
export class SandboxError extends Error {}

export class PodSandbox {
  ip?: string;
  net?: PodNetwork;
  /** containerd's sandbox ID (64 hex) and network namespace path, new with every namespace. */
  id = '';

  /**
   * The namespace's path as containerd names it (`/var/run/netns/cni-<uuid>`): only error texts
   * show it, so it is derived from the sandbox id when asked for, not kept for every pod.
   */
  get netnsPath(): string {
    if (!this.id) return '';
    if (this.hostNetwork) return 'host';
    const h = this.id;
    const variant = '89ab'[parseInt(h[16]!, 16) & 3];
    return `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  constructor(
    private readonly pod: PodIdentity,
    private readonly hostNetwork: boolean,
    private readonly d: SandboxDeps,
  ) {}

  /** After a kubelet restart: keeps the IP the pod had, if it is still this node's to give. */
  adopt(ip: string): boolean {
    if (this.hostNetwork) {
      if (ip !== this.d.hostIP) return false;
      this.ip = ip;
      return true;
    }
    if (!this.d.ips.reserve(ip, this.pod.uid)) return false;
    this.ip = ip;
    return true;
  }

  /** The CNI ADD: an IP (kept if the pod has one) and the network namespace. Throws SandboxError. */
  create(): string {
    const ip = this.hostNetwork ? this.d.hostIP : (this.ip ?? this.d.ips.allocate(this.pod.uid));
    if (!ip) {
      throw new SandboxError(
        `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="ptp" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${this.d.ips.cidr}`,
      );
    }
    this.ip = ip;
    this.attachNetwork();
    return ip;
  }

  /** Creates the namespace of an adopted or newly created sandbox (idempotent). */
  attachNetwork(): void {
    if (this.net || !this.ip) return;
    this.id = randomBytes(32).toString('hex');
    try {
      if (this.hostNetwork) this.net = this.d.hostNetwork?.acquire(this.pod.uid);
      else this.net = this.d.network?.createPodNetwork(this.ip, this.pod);
    } catch (e) {
      if (!this.hostNetwork) this.d.ips.release(this.pod.uid);
      this.ip = undefined;
      throw new SandboxError(
        `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: plugin type="ptp" failed (add): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** The CNI DEL: every connection of the namespace is reset, the IP goes back to the pool. */
  release(): void {
    if (this.hostNetwork) this.d.hostNetwork?.release(this.pod.uid);
    else {
      this.net?.close();
      this.d.ips.release(this.pod.uid);
    }
    this.net = undefined;
  }
}
