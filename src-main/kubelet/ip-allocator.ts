/**
 * Pod IPs from the node's podCIDR (`10.244.N.0/24`), handed out like the host-local IPAM plugin of
 * kind nodes: the next free address after the last one given (.2 … .254, wrapping), released when
 * the pod's sandbox goes away.
 */
export class PodIpAllocator {
  private readonly used = new Map<string, string>();
  private last = 1;

  /** `cidr` must be an IPv4 /24 (what node-status gives every node). */
  constructor(readonly cidr: string) {
    if (!/^\d+\.\d+\.\d+\.0\/24$/.test(cidr)) throw new Error(`unsupported pod CIDR ${cidr}`);
  }

  private get prefix(): string {
    return this.cidr.slice(0, this.cidr.lastIndexOf('.') + 1);
  }

  /** The pod's IP: the one it has, or a new one; undefined when the range is exhausted. */
  allocate(podUid: string): string | undefined {
    for (const [ip, uid] of this.used) if (uid === podUid) return ip;
    for (let i = 0; i < 253; i++) {
      const n = ((this.last - 1 + i) % 253) + 2;
      const ip = `${this.prefix}${n}`;
      if (!this.used.has(ip)) {
        this.used.set(ip, podUid);
        this.last = n;
        return ip;
      }
    }
    return undefined;
  }

  /** Marks an IP a pod already has (after a restart); false if it is not ours or taken. */
  reserve(ip: string, podUid: string): boolean {
    if (!ip.startsWith(this.prefix)) return false;
    const n = Number(ip.slice(this.prefix.length));
    if (!(n >= 2 && n <= 254)) return false;
    const cur = this.used.get(ip);
    if (cur && cur !== podUid) return false;
    this.used.set(ip, podUid);
    if (n > this.last) this.last = n;
    return true;
  }

  release(podUid: string): void {
    for (const [ip, uid] of this.used) if (uid === podUid) this.used.delete(ip);
  }

  size(): number {
    return this.used.size;
  }
}
