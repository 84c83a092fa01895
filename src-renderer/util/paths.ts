/** URL paths of the Kubernetes API (`/api/v1/…`, `/apis/<group>/<version>/…`) and of the UI's routes. */

export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  resource: string;
}

function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** A collection: all namespaces when `namespace` is empty (or the resource is cluster-scoped). */
export function collectionPath(r: ResourceRef, namespace?: string): string {
  const base = groupVersionPath(r.group, r.version);
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${base}/${r.resource}`;
}

export function objectPath(r: ResourceRef, namespace: string | undefined, name: string): string {
  return `${collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
}

/** The core group in UI routes (a route segment cannot be empty). */
export const CORE = 'core';

export function routeGroup(group: string): string {
  return group || CORE;
}

export function apiGroup(routeSegment: string): string {
  return routeSegment === CORE ? '' : routeSegment;
}

/** The route patterns of the list and details views (router/routes-resources.ts). */
export const LIST_PATH = '/r/:group/:version/:resource';
export const DETAILS_PATH = '/r/:group/:version/:resource/:namespace?/:name';

/** `/r/<group>/<version>/<resource>`: the list view of a resource. */
export function listRoute(r: ResourceRef): string {
  return `/r/${routeGroup(r.group)}/${r.version}/${r.resource}`;
}

/** `/r/<group>/<version>/<resource>/[<namespace>/]<name>`: the details view of one object. */
export function detailsRoute(r: ResourceRef, namespace: string | undefined, name: string): string {
  const ns = namespace ? `/${encodeURIComponent(namespace)}` : '';
  return `${listRoute(r)}${ns}/${encodeURIComponent(name)}`;
}

/** `apps/v1`, `v1`. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The ResourceRef of an object's apiVersion (`apps/v1` → apps, v1) with the given plural. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
