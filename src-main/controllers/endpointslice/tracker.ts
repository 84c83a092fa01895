/**
 * What this controller wrote lately (upstream's endpointSliceTracker): per service, the
 * resourceVersion of each slice it created or updated and the slices it deleted. A sync whose
 * informer cache does not show those writes yet would act on stale data (and, say, create a
 * second slice): it is retried until the cache caught up.
 */
import type { KubeObject } from '../../api/types';

export class StaleCacheError extends Error {}

/** Checks a write may fail before it is given up (the slice may have been deleted by someone else meanwhile). */
const MAX_STALE_CHECKS = 12;

export class SliceTracker {
  private readonly written = new Map<string, Map<string, number | 'deleted'>>();
  private readonly misses = new Map<string, number>();

  wrote(serviceKey: string, slice: KubeObject): void {
    this.entry(serviceKey).set(slice.metadata.name!, Number(slice.metadata.resourceVersion ?? 0));
  }

  deleted(serviceKey: string, name: string): void {
    this.entry(serviceKey).set(name, 'deleted');
  }

  /** Throws StaleCacheError when `cached` (the informer's slices of the service) misses a write. */
  check(serviceKey: string, lookup: (name: string) => KubeObject | undefined): void {
    const m = this.written.get(serviceKey);
    if (!m) return;
    for (const [name, rv] of m) {
      const c = lookup(name);
      const seen = rv === 'deleted' ? !c : !!c && Number(c.metadata.resourceVersion ?? 0) >= rv;
      const missKey = `${serviceKey}|${name}`;
      if (!seen) {
        const n = (this.misses.get(missKey) ?? 0) + 1;
        if (n < MAX_STALE_CHECKS) {
          this.misses.set(missKey, n);
          throw new StaleCacheError(`the cache does not show the last write of EndpointSlice ${name} yet`);
        }
      }
      this.misses.delete(missKey);
      m.delete(name);
    }
    if (m.size === 0) this.written.delete(serviceKey);
  }

  forget(serviceKey: string): void {
    for (const name of this.written.get(serviceKey)?.keys() ?? []) this.misses.delete(`${serviceKey}|${name}`);
    this.written.delete(serviceKey);
  }

  private entry(key: string): Map<string, number | 'deleted'> {
    let m = this.written.get(key);
    if (!m) this.written.set(key, (m = new Map()));
    return m;
  }
}
