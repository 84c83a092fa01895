/**
 * The scheduler cache (pkg/scheduler/backend/cache): NodeInfos kept up to date from node and pod
 * informer events, plus pods the scheduler has assumed onto a node while their binding is in
 * flight. Everything is incremental: an event touches one NodeInfo, never a rescan.
 */
import type { KubeObject } from '../api/types';
import { asObject } from '../api/types';
import { addPodToNode, newNodeInfo, removePodFromNode, setNode, type NodeInfo } from './node-info';
import { newPodInfo, podKey, type PodInfo } from './pod-info';

interface PodState {
  info: PodInfo;
  assumed: boolean;
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = asObject(pod.status).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class SchedulerCache {
  private readonly infos = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  /** Nodes that exist, in the order they were added. */
  private list: NodeInfo[] = [];
  /** Pods (bound or assumed) with required pod anti-affinity terms. */
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();
  /** Pods (bound or assumed) with any pod affinity or anti-affinity (for symmetric scoring). */
  readonly podsWithAffinity = new Set<PodInfo>();

  nodes(): readonly NodeInfo[] {
    return this.list;
  }

  node(name: string): NodeInfo | undefined {
    const ni = this.infos.get(name);
    return ni?.node ? ni : undefined;
  }

  nodeCount(): number {
    return this.list.length;
  }

  addNode(node: KubeObject): void {
    const name = node.metadata.name ?? '';
    let ni = this.infos.get(name);
    if (!ni) this.infos.set(name, (ni = newNodeInfo(name)));
    const isNew = !ni.node;
    setNode(ni, node);
    if (isNew) this.list = [...this.list, ni];
  }

  removeNode(name: string): void {
    const ni = this.infos.get(name);
    if (!ni) return;
    ni.node = undefined;
    this.list = this.list.filter((n) => n !== ni);
    // Pods still pointing at it keep their accounting until they go (as upstream's cache).
    if (ni.pods.size === 0) this.infos.delete(name);
  }

  /** Bound pod seen by the informer (add or update). Terminal pods free their resources. */
  addOrUpdatePod(pod: KubeObject): void {
    const key = podKey(pod);
    const nodeName = asObject(pod.spec).nodeName;
    if (typeof nodeName !== 'string' || !nodeName || isTerminal(pod)) {
      this.removePod(key);
      return;
    }
    const cur = this.pods.get(key);
    if (cur && !cur.assumed && cur.info.pod === pod) return;
    if (cur) this.unaccount(cur.info);
    const info = newPodInfo(pod);
    this.account(info);
    this.pods.set(key, { info, assumed: false });
  }

  removePod(key: string): void {
    const cur = this.pods.get(key);
    if (!cur) return;
    this.unaccount(cur.info);
    this.pods.delete(key);
  }

  /** The scheduler decided: count the pod on the node now, before the binding lands. */
  assumePod(info: PodInfo, nodeName: string): void {
    const assumed: PodInfo = { ...info, nodeName };
    const cur = this.pods.get(info.key);
    if (cur) this.unaccount(cur.info);
    this.account(assumed);
    this.pods.set(info.key, { info: assumed, assumed: true });
  }

  /** The binding failed: take the assumed pod off its node again. */
  forgetPod(key: string): void {
    const cur = this.pods.get(key);
    if (cur?.assumed) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed === true;
  }

  /** Bound or assumed pod. */
  podInfo(key: string): PodInfo | undefined {
    return this.pods.get(key)?.info;
  }

  podCount(): number {
    return this.pods.size;
  }

  private account(info: PodInfo): void {
    let ni = this.infos.get(info.nodeName);
    if (!ni) this.infos.set(info.nodeName, (ni = newNodeInfo(info.nodeName)));
    addPodToNode(ni, info);
    if (info.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity.add(info);
    if (info.requiredAntiAffinity.length || info.requiredAffinity.length || info.preferredAffinity.length || info.preferredAntiAffinity.length) this.podsWithAffinity.add(info);
  }

  private unaccount(info: PodInfo): void {
    this.podsWithRequiredAntiAffinity.delete(info);
    this.podsWithAffinity.delete(info);
    const ni = this.infos.get(info.nodeName);
    if (!ni) return;
    removePodFromNode(ni, info);
    if (!ni.node && ni.pods.size === 0) this.infos.delete(info.nodeName);
  }
}
