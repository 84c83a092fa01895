/**
 * Image reference normalisation as containerd does it (docker/distribution reference rules):
 * `nginx` → `docker.io/library/nginx:latest`, `luksa/kubia:1.0` → `docker.io/luksa/kubia:1.0`,
 * `nginx@sha256:…` keeps the digest and gets no tag.
 */

export interface ImageReference {
  /** `docker.io`, `registry.k8s.io`, `localhost:5000` … */
  domain: string;
  /** `library/nginx`, `luksa/kubia`. */
  path: string;
  /** `docker.io/library/nginx`. */
  repository: string;
  /** The tag; `latest` when neither tag nor digest was given. */
  tag?: string;
  /** `sha256:<64 hex>` when pinned by digest. */
  digest?: string;
  /** Fully qualified: `docker.io/library/nginx:latest`, `docker.io/library/nginx@sha256:…`. */
  normalized: string;
}

export type ParsedReference = { ok: true; ref: ImageReference } | { ok: false; reason: string };

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$/;

/** Parses and normalises an image reference; `reason` is distribution's error text. */
export function parseReference(input: string): ParsedReference {
  const bad = (reason: string): ParsedReference => ({ ok: false, reason });
  if (input === '') return bad('invalid reference format');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return bad('invalid reference format');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return bad('invalid reference format');
  }
  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      domain = first === 'index.docker.io' ? 'docker.io' : first;
      path = rest.slice(slash + 1);
      if (!DOMAIN.test(first)) return bad('invalid reference format');
    }
  }
  if (path === '') return bad('invalid reference format');
  if (path !== path.toLowerCase()) return bad('invalid reference format: repository name must be lowercase');
  if (!path.split('/').every((c) => COMPONENT.test(c))) return bad('invalid reference format');
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (tag === undefined && digest === undefined) tag = 'latest';
  const repository = `${domain}/${path}`;
  const normalized = repository + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');
  return { ok: true, ref: { domain, path, repository, tag, digest, normalized } };
}
