/**
 * The registry: answers pulls from the image families (images/), with containerd's error
 * texts, and resolves an ImageInfo back to its files and programs when a container starts.
 */
import { createHash } from 'node:crypto';
import type { ImageInfo, ImageLookup } from './types';
import type { ImageConfig, ImageFamily, TagGroup } from './images/types';
import { IMAGE_FAMILIES } from './images';
import { genericFiles } from './images/generic';
import { parseReference } from './reference';
import { ImageTree } from './vfs';

export interface ResolvedImage {
  info: ImageInfo;
  config: ImageConfig;
  family?: ImageFamily;
  group?: TagGroup;
  tree: ImageTree;
  generic: boolean;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function notFoundMessage(normalized: string): string {
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${normalized}": failed to resolve reference "${normalized}": ${normalized}: not found`;
}

export class ImageCatalog {
  private byRepo = new Map<string, ImageFamily>();
  private digests = new Map<TagGroup, string>();
  private trees = new Map<TagGroup, ImageTree>();
  private genericTree: ImageTree | undefined;
  private resolved = new Map<string, ResolvedImage>();

  constructor(readonly families: ImageFamily[] = IMAGE_FAMILIES) {
    for (const f of families) this.byRepo.set(f.repository, f);
  }

  /** The stable digest of a tag group (`sha256:…`). */
  digestOf(family: ImageFamily, group: TagGroup): string {
    let d = this.digests.get(group);
    if (!d) {
      d = `sha256:${sha256(`kubesim-image:${family.repository}:${group.tags[0]}`)}`;
      this.digests.set(group, d);
    }
    return d;
  }

  lookup(image: string): ImageLookup {
    const parsed = parseReference(image);
    if (!parsed.ok) return { ok: false, invalidName: true, message: `couldn't parse image name "${image}": ${parsed.reason}` };
    const ref = parsed.ref;
    const family = this.byRepo.get(ref.repository);
    if (!family) return { ok: true, image: this.genericInfo(image, ref.normalized, ref.repository, ref.digest) };
    let group: TagGroup | undefined;
    if (ref.digest) group = family.groups.find((g) => this.digestOf(family, g) === ref.digest);
    else group = family.groups.find((g) => g.tags.includes(ref.tag!));
    if (!group) return { ok: false, message: notFoundMessage(ref.normalized) };
    const config = { ...family.config, ...group.config };
    const digest = this.digestOf(family, group);
    const info: ImageInfo = {
      requested: image,
      ref: ref.normalized,
      imageID: `${family.repository}@${digest}`,
      sizeBytes: group.sizeBytes,
      entrypoint: [...config.entrypoint],
      cmd: [...config.cmd],
      workingDir: config.workingDir,
      env: [...config.env],
      exposedPorts: [...config.exposedPorts],
    };
    return { ok: true, image: info };
  }

  private genericInfo(requested: string, normalized: string, repository: string, digest?: string): ImageInfo {
    const h = sha256(`kubesim-generic:${normalized}`);
    return {
      requested,
      ref: normalized,
      imageID: `${repository}@${digest ?? `sha256:${h}`}`,
      sizeBytes: 20_000_000 + (parseInt(h.slice(0, 8), 16) % 130_000_000),
      entrypoint: [],
      cmd: [],
      workingDir: '',
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      exposedPorts: [],
      generic: true,
    };
  }

  /** The image behind an ImageInfo from `lookup` (files, stop signal, family). */
  resolve(info: ImageInfo): ResolvedImage {
    const hit = this.resolved.get(info.imageID + ' ' + info.ref);
    if (hit) return hit;
    const parsed = parseReference(info.ref);
    const family = parsed.ok ? this.byRepo.get(parsed.ref.repository) : undefined;
    const digest = info.imageID.slice(info.imageID.indexOf('@') + 1);
    const group = family?.groups.find((g) => this.digestOf(family, g) === digest);
    let out: ResolvedImage;
    if (!family || !group || info.generic) {
      this.genericTree ??= new ImageTree(genericFiles());
      out = {
        info,
        config: { entrypoint: info.entrypoint, cmd: info.cmd, workingDir: info.workingDir, env: info.env, exposedPorts: info.exposedPorts },
        tree: this.genericTree,
        generic: true,
      };
    } else {
      let tree = this.trees.get(group);
      if (!tree) {
        tree = new ImageTree(family.files(group));
        this.trees.set(group, tree);
      }
      out = { info, config: { ...family.config, ...group.config }, family, group, tree, generic: false };
    }
    if (this.resolved.size > 1000) this.resolved.clear();
    this.resolved.set(info.imageID + ' ' + info.ref, out);
    return out;
  }
}
