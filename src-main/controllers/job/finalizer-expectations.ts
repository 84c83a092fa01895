/**
 * The job controller's finalizer-removal expectations: pod UIDs whose tracking finalizer it
 * removed, awaited until its informer has seen them (pod creations and deletions use the shared
 * `../expectations.ts`).
 */
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
