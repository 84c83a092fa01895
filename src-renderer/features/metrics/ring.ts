/**
 * A bounded history of one node's, pod's or container's usage: samples (time, CPU millicores,
 * memory bytes) in a fixed-size ring, at most `windowMs` old, one per metrics timestamp (the
 * metrics API answers the same sample until its next scrape, so repeated polls add nothing).
 */

export interface Sample {
  t: number;
  cpu: number;
  memory: number;
}

export class UsageRing {
  private readonly data: Float64Array;
  private start = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly windowMs: number,
  ) {
    if (!(capacity > 0)) throw new Error('capacity must be positive');
    this.data = new Float64Array(capacity * 3);
  }

  get size(): number {
    return this.count;
  }

  /** The newest sample's time (NaN when empty). */
  get lastTime(): number {
    return this.count ? this.data[((this.start + this.count - 1) % this.capacity) * 3] : NaN;
  }

  /** Adds a sample; one not newer than the last is ignored (false). Drops samples older than the window, and the oldest when full. */
  push(s: Sample): boolean {
    if (!Number.isFinite(s.t) || (this.count && s.t <= this.lastTime)) return false;
    if (this.count === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
    const i = ((this.start + this.count) % this.capacity) * 3;
    this.data[i] = s.t;
    this.data[i + 1] = s.cpu;
    this.data[i + 2] = s.memory;
    this.count++;
    this.trim(s.t);
    return true;
  }

  /** Forgets samples older than `now - windowMs`. */
  trim(now: number): void {
    const oldest = now - this.windowMs;
    while (this.count && this.data[this.start * 3] < oldest) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  /** The samples, oldest first. */
  samples(): Sample[] {
    const out: Sample[] = [];
    for (let k = 0; k < this.count; k++) {
      const i = ((this.start + k) % this.capacity) * 3;
      out.push({ t: this.data[i], cpu: this.data[i + 1], memory: this.data[i + 2] });
    }
    return out;
  }

  last(): Sample | undefined {
    if (!this.count) return undefined;
    const i = ((this.start + this.count - 1) % this.capacity) * 3;
    return { t: this.data[i], cpu: this.data[i + 1], memory: this.data[i + 2] };
  }
}
