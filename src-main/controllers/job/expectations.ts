/**
 * Controller expectations (pkg/controller/controller_utils.go): after a controller creates or
 * deletes pods it waits until its informer has seen them before acting on that key again, so it
 * never counts from a cache that lags its own writes. Expectations expire after 5 minutes. Also the
 * job controller's finalizer-removal expectations: pod UIDs whose tracking finalizer it removed.
 */
import type { Clock } from '../../client';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  at: number;
}

export class ControllerExpectations {
  private readonly m = new Map<string, Expectation>();
  constructor(private readonly clock: Clock) {}

  satisfied(key: string): boolean {
    const e = this.m.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  expectCreations(key: string, n: number): void {
    this.m.set(key, { add: n, del: 0, at: this.clock.now() });
  }

  expectDeletions(key: string, n: number): void {
    this.m.set(key, { add: 0, del: n, at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.m.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string): void {
    const e = this.m.get(key);
    if (e) e.del--;
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}

export class FinalizerExpectations {
  private readonly m = new Map<string, Set<string>>();

  expectRemoved(key: string, uids: readonly string[]): void {
    let s = this.m.get(key);
    if (!s) this.m.set(key, (s = new Set()));
    for (const u of uids) s.add(u);
  }

  observed(key: string, uid: string): void {
    const s = this.m.get(key);
    if (!s) return;
    s.delete(uid);
    if (s.size === 0) this.m.delete(key);
  }

  expected(key: string): ReadonlySet<string> {
    return new Set(this.m.get(key) ?? []);
  }

  delete(key: string): void {
    this.m.delete(key);
  }
}
