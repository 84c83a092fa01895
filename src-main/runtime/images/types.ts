/** How an image family is described: data (tags, sizes, config, files) plus its programs. */
import type { Program, Signal } from '../program';
import type { FsNode } from '../vfs';

/** The parts of an OCI image config that matter to a container. */
export interface ImageConfig {
  entrypoint: string[];
  cmd: string[];
  /** '' means `/`. */
  workingDir: string;
  env: string[];
  exposedPorts: string[];
  /** STOPSIGNAL: what containerd sends when the kubelet stops the container (default SIGTERM). */
  stopSignal?: Signal;
}

/** Tags that point at the same image (one digest), e.g. `1.37.0`, `1.37`, `1`, `latest`. */
export interface TagGroup {
  tags: string[];
  /** Compressed size of the linux/amd64 image. */
  sizeBytes: number;
  /** The software's version in this image (`1.27.5`), for log lines. */
  version: string;
  /** Overrides of the family's config for this group. */
  config?: Partial<ImageConfig>;
  /** Per-tag behaviour switches (`failAfter: '5'` …). */
  variant?: Record<string, string>;
}

export interface ImageFamily {
  /** `docker.io/library/nginx`. */
  repository: string;
  config: ImageConfig;
  groups: TagGroup[];
  /** The image's files (built once per tag group and shared by its containers). */
  files(group: TagGroup): Record<string, string | FsNode>;
  /** Programs this family's executables name in their `program` field. */
  programs?: Record<string, Program>;
}

/** An executable file that runs `program`. */
export function exe(program: string, data = ''): FsNode {
  return { kind: 'file', mode: 0o755, data, program };
}

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
