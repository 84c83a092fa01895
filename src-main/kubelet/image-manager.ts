/**
 * A node's images (pkg/kubelet/images): the per-node cache, pull policies, pulls one at a time
 * (the kubelet's default serialized pulls, so a pull's "including waiting" time counts the queue),
 * and a per pod+image back-off after failed pulls. Events are reported through the caller's
 * `event` function with upstream reasons and messages.
 */
import type { Clock } from '../client/clock';
import type { ContainerRuntime, ImageInfo } from '../runtime/types';
import { KeyedBackoff } from './backoff';
import { goDuration } from './format';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export type EnsureResult =
  | { ok: true; image: ImageInfo }
  | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName'; message: string };

export type ImageEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

export interface NodeImage {
  names: string[];
  sizeBytes: number;
}

/** Re-checking the registry for an image already on the node takes this share of a full pull. */
const REFRESH_SHARE = 0.1;
/** How long a registry takes to say an image does not exist. */
const FAILED_RESOLVE_MS = 500;

/** Upstream defaulting: Always for `:latest` or untagged images without a digest. */
export function pullPolicyOf(image: string, policy: string | undefined): PullPolicy {
  if (policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never') return policy;
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export class ImageManager {
  /** Pulled images by their full reference (ImageInfo.ref). */
  private readonly images = new Map<string, ImageInfo>();
  /** When the last failed pull of each pod+image key ended (the back-off window starts there). */
  private readonly failedAt = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  readonly backoff: KeyedBackoff;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly clock: Clock,
    private readonly fast: boolean,
    private readonly onChange: () => void = () => {},
  ) {
    this.backoff = new KeyedBackoff(clock);
  }

  /** The node's images for node.status.images (largest first, as the kubelet sorts them). */
  list(): NodeImage[] {
    return [...this.images.values()].sort((a, b) => b.sizeBytes - a.sizeBytes || a.ref.localeCompare(b.ref)).map((i) => ({ names: [i.imageID, i.ref], sizeBytes: i.sizeBytes }));
  }

  /** Images known from an earlier run (node.status.images), so a restarted node keeps its cache. */
  preload(images: ImageInfo[]): void {
    for (const i of images) this.images.set(i.ref, i);
  }

  /** The cached image for a spec reference, if the node has it. */
  present(requested: string): ImageInfo | undefined {
    const l = this.runtime.lookup(requested);
    return l.ok ? this.images.get(l.image.ref) : undefined;
  }

  private sleep(ms: number): Promise<void> {
    if (this.fast || ms <= 0) return Promise.resolve();
    return new Promise((r) => this.clock.setTimeout(r, ms));
  }

  /** EnsureImageExists: the image ready to run, or the waiting reason and message. */
  async ensure(requested: string, policy: PullPolicy, backoffKey: string, event: ImageEvent): Promise<EnsureResult> {
    const lookup = this.runtime.lookup(requested);
    if (!lookup.ok && lookup.invalidName) {
      const message = `Failed to apply default image tag "${requested}": ${lookup.message}`;
      event('Warning', 'InspectFailed', message);
      return { ok: false, reason: 'InvalidImageName', message };
    }
    const cached = lookup.ok ? this.images.get(lookup.image.ref) : undefined;
    if (cached && policy !== 'Always') {
      event('Normal', 'Pulled', `Container image "${requested}" already present on machine`);
      return { ok: true, image: cached };
    }
    if (policy === 'Never') {
      const message = `Container image "${requested}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const now = this.clock.now();
    if (this.inWindow(backoffKey, now)) {
      const message = `Back-off pulling image "${requested}"`;
      event('Normal', 'BackOff', message);
      return { ok: false, reason: 'ImagePullBackOff', message };
    }
    event('Normal', 'Pulling', `Pulling image "${requested}"`);
    const queued = this.clock.now();
    const turn = this.queue.then(async () => {
      const start = this.clock.now();
      const l = this.runtime.lookup(requested);
      if (!l.ok) {
        await this.sleep(FAILED_RESOLVE_MS);
        return { l, start, end: this.clock.now() };
      }
      const had = this.images.has(l.image.ref);
      const full = this.runtime.pullDurationMs(l.image);
      await this.sleep(had ? full * REFRESH_SHARE : full);
      return { l, start, end: this.clock.now() };
    });
    this.queue = turn.catch(() => undefined);
    const { l, start, end } = await turn;
    if (!l.ok) {
      event('Warning', 'Failed', `Failed to pull image "${requested}": ${l.message}`);
      this.failedAt.set(backoffKey, end);
      this.backoff.next(backoffKey, end);
      return { ok: false, reason: 'ErrImagePull', message: l.message };
    }
    const isNew = !this.images.has(l.image.ref);
    this.images.set(l.image.ref, l.image);
    this.backoff.forget(backoffKey);
    this.failedAt.delete(backoffKey);
    event('Normal', 'Pulled', `Successfully pulled image "${requested}" in ${goDuration(end - start)} (${goDuration(end - queued)} including waiting). Image size: ${l.image.sizeBytes} bytes.`);
    if (isNew) this.onChange();
    return { ok: true, image: l.image };
  }


  private inWindow(key: string, now: number): boolean {
    const at = this.failedAt.get(key);
    return at !== undefined && now - at < this.backoff.get(key);
  }

  /** When a pull of the key may be tried again (undefined: now). */
  retryAt(key: string): number | undefined {
    const at = this.failedAt.get(key);
    return at === undefined ? undefined : at + this.backoff.get(key);
  }

  /** Forgets a deleted pod's back-off entries (`<uid>/…`). */
  forgetPod(uid: string): void {
    this.backoff.forgetPrefix(`${uid}/`);
    for (const k of [...this.failedAt.keys()]) if (k.startsWith(`${uid}/`)) this.failedAt.delete(k);
  }
}
