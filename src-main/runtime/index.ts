/**
 * The container runtime (containerd's part of a node): the image catalog answers pulls, and
 * containers run as in-process programs. The kubelet calls `createContainerRuntime()` once per
 * node (or shares one) and drives it through the `ContainerRuntime` contract in types.ts.
 */
import type { ContainerConfig, ContainerProcess, ContainerRuntime, ImageInfo, ImageLookup } from './types';
import { ImageCatalog } from './catalog';
import { Container } from './container';
import { programRegistry } from './programs';
import type { ImageFamily } from './images/types';
import { IMAGE_FAMILIES } from './images';

export type * from './types';
export { ImageCatalog } from './catalog';
export { parseReference } from './reference';
export { resolveCommand } from './command';
export { createEmptyDir, ContainerFs, SubFs, FsError } from './vfs';
export { HostFs, hostFsUnder } from './host-fs';

export interface RuntimeOptions {
  /** The image families of the registry (default: the built-in catalog). */
  families?: ImageFamily[];
  /** Download speed for `pullDurationMs` (default 40 MB/s) and a fixed per-pull latency (default 300 ms). */
  bytesPerSecond?: number;
  pullLatencyMs?: number;
}

/** A runtime with its own registry; containers share image trees, so one per node is cheap. */
export function createContainerRuntime(opts: RuntimeOptions = {}): ContainerRuntime & { catalog: ImageCatalog; startContainer(config: ContainerConfig): Container } {
  const families = opts.families ?? IMAGE_FAMILIES;
  const catalog = new ImageCatalog(families);
  const programs = programRegistry(families);
  const speed = opts.bytesPerSecond ?? 40_000_000;
  const latency = opts.pullLatencyMs ?? 300;
  const startContainer = (config: ContainerConfig) => new Container(config, catalog.resolve(config.image), programs).start();
  return {
    catalog,
    lookup: (image: string): ImageLookup => catalog.lookup(image),
    pullDurationMs: (image: ImageInfo) => Math.round(latency + (image.sizeBytes / speed) * 1000),
    start: (config: ContainerConfig): ContainerProcess => startContainer(config),
    startContainer,
  };
}
