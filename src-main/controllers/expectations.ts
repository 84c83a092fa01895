/**
 * Controller expectations (pkg/controller/controller_utils.go ControllerExpectations +
 * UIDTrackingControllerExpectations): a controller that just asked for N creations or for the
 * deletion of some pods does not act on that owner again until its informer has seen them (or
 * five minutes passed), so a burst of watch events never double-creates or double-deletes.
 */
import type { Clock } from '../client';

/** ExpectationsTimeout. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  /** Keys (`namespace/name`) of pods whose deletion is awaited; none when only a count is. */
  deleteKeys?: Set<string>;
  at: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when the owner may be synced: nothing is awaited, or what was awaited is stale. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, at: this.clock.now() });
  }

  /** The pods (by key: each counted once) or just the number (each observation counts) about to be deleted. */
  expectDeletions(key: string, pods: readonly string[] | number): void {
    if (typeof pods === 'number') this.byKey.set(key, { add: 0, del: pods, at: this.clock.now() });
    else this.byKey.set(key, { add: 0, del: pods.length, deleteKeys: new Set(pods), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.add--;
  }

  /**
   * Counts a deletion: once per awaited pod key when the pods were named (an update with
   * deletionTimestamp, then the delete), every call when only a number was expected.
   */
  deletionObserved(key: string, podKey?: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    if (e.deleteKeys && (podKey === undefined || !e.deleteKeys.delete(podKey))) return;
    e.del--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** For tests: what is still awaited. */
  get(key: string): { add: number; del: number } | undefined {
    const e = this.byKey.get(key);
    return e ? { add: e.add, del: e.del } : undefined;
  }
}
