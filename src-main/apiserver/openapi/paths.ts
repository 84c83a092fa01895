/**
 * The `paths` of kubesim's OpenAPI documents: one entry per served resource path with its
 * operations, parameters and `x-kubernetes-*` extensions, in upstream's shape (operation ids such as
 * `patchAppsV1NamespacedDeployment`, the query parameters kube-apiserver declares, the
 * `x-kubernetes-group-version-kind` that `kubectl explain` and kubectl's QueryParamVerifierV3 read).
 *
 * Built as neutral `Operation`s and rendered for OpenAPI v3 (per group-version documents) and
 * Swagger 2.0 (/openapi/v2).
 */
import type { GVK } from './schemas';

/** What the OpenAPI documents need to know about one served resource (a subset of ResourceDef). */
export interface OpenAPIResource {
  group: string; // '' = core
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs?: readonly string[];
  subresources?: readonly string[];
}

export type Action = 'get' | 'list' | 'watch' | 'watchlist' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'connect';
export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface Param {
  name: string;
  in: 'query' | 'path';
  description: string;
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
}

export interface Operation {
  method: Method;
  operationId: string;
  description: string;
  action: Action;
  gvk: GVK;
  params: Param[];
  /** Definition name of the request body, if any (`Patch` bodies use meta.v1.Patch). */
  body?: string;
  bodyRequired?: boolean;
  patchTypes?: boolean;
  /** status code -> definition name of the response body (undefined: no body). */
  responses: Record<string, string | undefined>;
  /** The response is plain text (pod logs). */
  textResponse?: boolean;
}

export interface PathItem {
  path: string;
  params: Param[];
  operations: Operation[];
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

// Query parameters, upstream names; descriptions in our own words.
const P = {
  pretty: q('pretty', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  dryRun: q('dryRun', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  fieldValidation: q('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default. - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: q('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.', 'boolean'),
  allowWatchBookmarks: q('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion.', 'boolean'),
  continue: q('continue', 'The continue option should be set when retrieving more results from the server: it is the token a previous list returned in metadata.continue.'),
  fieldSelector: q('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.', 'integer'),
  resourceVersion: q('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  resourceVersionMatch: q('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  sendInitialEvents: q('sendInitialEvents', '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection, followed by a bookmark event.', 'boolean'),
  timeoutSeconds: q('timeoutSeconds', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.', 'integer'),
  watch: q('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.', 'boolean'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.', 'integer'),
  ignoreStoreReadError: q('ignoreStoreReadErrorWithClusterBreakingPotential', 'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.', 'boolean'),
  orphanDependents: q('orphanDependents', 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.', 'boolean'),
  propagationPolicy: q('propagationPolicy', "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
};

function q(name: string, description: string, type: Param['type'] = 'string'): Param {
  return { name, in: 'query', description, type };
}

const LIST_PARAMS = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];
const DELETECOLLECTION_PARAMS = [P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.ignoreStoreReadError, P.labelSelector, P.limit, P.orphanDependents, P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds];

const nameParam = (kind: string): Param => ({ name: 'name', in: 'path', description: `name of the ${kind}`, type: 'string', required: true });
const namespaceParam: Param = { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', type: 'string', required: true };

/** `networking.k8s.io` -> `Networking`, `rbac.authorization.k8s.io` -> `RbacAuthorization`, '' -> `Core`. */
export function groupIdentifier(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** The `tags` entry of an operation: `core_v1`, `apps_v1`, `rbacAuthorization_v1`. */
export function groupTag(group: string, version: string): string {
  const id = groupIdentifier(group);
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${version}`;
}

export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/**
 * Definition names of the kinds: `defOf(kind)` must give the body definition of a kind of the same
 * group-version (or undefined when none was generated; the kind then gets a generic object).
 */
export type DefinitionLookup = (group: string, version: string, kind: string) => string | undefined;

const GENERIC_OBJECT = '__generic__';

/** The path items of one resource: collection, item, all-namespaces, watch paths and subresources. */
export function resourcePaths(r: OpenAPIResource, defOf: DefinitionLookup): PathItem[] {
  const verbs = new Set(r.verbs ?? ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  const gvk: GVK = { group: r.group, kind: r.kind, version: r.version };
  const id = `${groupIdentifier(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const ns = r.namespaced ? 'Namespaced' : '';
  const def = defOf(r.group, r.version, r.kind) ?? GENERIC_OBJECT;
  const listDef = defOf(r.group, r.version, `${r.kind}List`) ?? GENERIC_OBJECT;
  const base = groupVersionPath(r.group, r.version);
  const scope = r.namespaced ? `${base}/namespaces/{namespace}` : base;
  const scopeParams = r.namespaced ? [namespaceParam] : [];
  const items: PathItem[] = [];
  const kindLower = r.kind;

  // collection
  const collection: Operation[] = [];
  if (verbs.has('list')) {
    collection.push({
      method: 'get', operationId: `list${id}${ns}${r.kind}`, description: `list or watch objects of kind ${r.kind}`,
      action: 'list', gvk, params: LIST_PARAMS, responses: { '200': listDef, '401': undefined },
    });
  }
  if (verbs.has('create')) {
    collection.push({
      method: 'post', operationId: `create${id}${ns}${r.kind}`, description: `create ${article(r.kind)} ${r.kind}`,
      action: 'post', gvk, params: WRITE_PARAMS, body: def, bodyRequired: true,
      responses: { '200': def, '201': def, '202': def, '401': undefined },
    });
  }
  if (verbs.has('deletecollection')) {
    collection.push({
      method: 'delete', operationId: `deletecollection${id}${ns}${r.kind}`.replace(/^deletecollection/, 'deleteCollection'),
      description: `delete collection of ${r.kind}`, action: 'deletecollection', gvk, params: DELETECOLLECTION_PARAMS,
      body: `${META}.DeleteOptions`, responses: { '200': `${META}.Status`, '401': undefined },
    });
  }
  if (collection.length) items.push({ path: `${scope}/${r.plural}`, params: [...scopeParams, P.pretty], operations: collection });

  // item
  const item: Operation[] = [];
  if (verbs.has('get')) {
    item.push({ method: 'get', operationId: `read${id}${ns}${r.kind}`, description: `read the specified ${r.kind}`, action: 'get', gvk, params: [], responses: { '200': def, '401': undefined } });
  }
  if (verbs.has('update')) {
    item.push({
      method: 'put', operationId: `replace${id}${ns}${r.kind}`, description: `replace the specified ${r.kind}`, action: 'put', gvk,
      params: WRITE_PARAMS, body: def, bodyRequired: true, responses: { '200': def, '201': def, '401': undefined },
    });
  }
  if (verbs.has('delete')) {
    item.push({
      method: 'delete', operationId: `delete${id}${ns}${r.kind}`, description: `delete ${article(r.kind)} ${r.kind}`, action: 'delete', gvk,
      params: DELETE_PARAMS, body: `${META}.DeleteOptions`, responses: { '200': `${META}.Status`, '202': `${META}.Status`, '401': undefined },
    });
  }
  if (verbs.has('patch')) {
    item.push({
      method: 'patch', operationId: `patch${id}${ns}${r.kind}`, description: `partially update the specified ${r.kind}`, action: 'patch', gvk,
      params: PATCH_PARAMS, body: `${META}.Patch`, bodyRequired: true, patchTypes: true, responses: { '200': def, '201': def, '401': undefined },
    });
  }
  const itemParams = [nameParam(kindLower), ...scopeParams, P.pretty];
  if (item.length) items.push({ path: `${scope}/${r.plural}/{name}`, params: itemParams, operations: item });

  // across namespaces
  if (r.namespaced && verbs.has('list')) {
    items.push({
      path: `${base}/${r.plural}`, params: [...LIST_PARAMS.slice(0, 4), ...LIST_PARAMS.slice(4, 5), P.pretty, ...LIST_PARAMS.slice(5)],
      operations: [{
        method: 'get', operationId: `list${id}${r.kind}ForAllNamespaces`, description: `list or watch objects of kind ${r.kind}`,
        action: 'list', gvk, params: [], responses: { '200': listDef, '401': undefined },
      }],
    });
  }

  // deprecated watch paths (still served and documented upstream)
  if (verbs.has('watch')) {
    const watchBase = `${base}/watch`;
    const watchScope = r.namespaced ? `${watchBase}/namespaces/{namespace}` : watchBase;
    const watchParams = (extra: Param[]): Param[] => [...LIST_PARAMS.slice(0, 5), ...extra, P.pretty, ...LIST_PARAMS.slice(5)];
    const ev = `${META}.WatchEvent`;
    items.push({
      path: `${watchScope}/${r.plural}`, params: watchParams(scopeParams),
      operations: [{ method: 'get', operationId: `watch${id}${ns}${r.kind}List`, description: `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, action: 'watchlist', gvk, params: [], responses: { '200': ev, '401': undefined } }],
    });
    items.push({
      path: `${watchScope}/${r.plural}/{name}`, params: watchParams([nameParam(kindLower), ...scopeParams]),
      operations: [{ method: 'get', operationId: `watch${id}${ns}${r.kind}`, description: `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`, action: 'watch', gvk, params: [], responses: { '200': ev, '401': undefined } }],
    });
    if (r.namespaced) {
      items.push({
        path: `${watchBase}/${r.plural}`, params: watchParams([]),
        operations: [{ method: 'get', operationId: `watch${id}${r.kind}ListForAllNamespaces`, description: `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, action: 'watchlist', gvk, params: [], responses: { '200': ev, '401': undefined } }],
      });
    }
  }

  // subresources
  for (const sub of r.subresources ?? []) {
    const subPath = `${scope}/${r.plural}/{name}/${sub}`;
    const Sub = sub.charAt(0).toUpperCase() + sub.slice(1);
    const subParams = [nameParam(sub === 'scale' ? 'Scale' : sub === 'binding' ? 'Binding' : sub === 'eviction' ? 'Eviction' : kindLower), ...scopeParams, P.pretty];
    if (sub === 'status' || sub === 'scale') {
      const subGVK: GVK = sub === 'scale' ? { group: 'autoscaling', kind: 'Scale', version: 'v1' } : gvk;
      const subDef = sub === 'scale' ? 'io.k8s.api.autoscaling.v1.Scale' : def;
      const what = sub === 'scale' ? `scale of the specified ${r.kind}` : `status of the specified ${r.kind}`;
      items.push({
        path: subPath, params: subParams,
        operations: [
          { method: 'get', operationId: `read${id}${ns}${r.kind}${Sub}`, description: `read ${what}`, action: 'get', gvk: subGVK, params: [], responses: { '200': subDef, '401': undefined } },
          { method: 'put', operationId: `replace${id}${ns}${r.kind}${Sub}`, description: `replace ${what}`, action: 'put', gvk: subGVK, params: WRITE_PARAMS, body: subDef, bodyRequired: true, responses: { '200': subDef, '201': subDef, '401': undefined } },
          { method: 'patch', operationId: `patch${id}${ns}${r.kind}${Sub}`, description: `partially update ${what}`, action: 'patch', gvk: subGVK, params: PATCH_PARAMS, body: `${META}.Patch`, bodyRequired: true, patchTypes: true, responses: { '200': subDef, '201': subDef, '401': undefined } },
        ],
      });
    } else if (sub === 'binding' || sub === 'eviction') {
      const subGVK: GVK = sub === 'binding' ? { group: '', kind: 'Binding', version: 'v1' } : { group: 'policy', kind: 'Eviction', version: 'v1' };
      const subDef = sub === 'binding' ? 'io.k8s.api.core.v1.Binding' : 'io.k8s.api.policy.v1.Eviction';
      items.push({
        path: subPath, params: subParams,
        operations: [{ method: 'post', operationId: `create${id}${ns}${r.kind}${Sub}`, description: `create ${sub} of ${article(r.kind)} ${r.kind}`, action: 'post', gvk: subGVK, params: WRITE_PARAMS, body: subDef, bodyRequired: true, responses: { '200': subDef, '201': subDef, '202': subDef, '401': undefined } }],
      });
    } else if (sub === 'log') {
      const logParams = ['container', 'follow', 'insecureSkipTLSVerifyBackend', 'limitBytes', 'previous', 'sinceSeconds', 'stream', 'tailLines', 'timestamps'].map((n) =>
        q(n, `${n} option of the log request`, ['follow', 'insecureSkipTLSVerifyBackend', 'previous', 'timestamps'].includes(n) ? 'boolean' : ['limitBytes', 'sinceSeconds', 'tailLines'].includes(n) ? 'integer' : 'string'));
      items.push({
        path: subPath, params: [nameParam(kindLower), ...scopeParams, ...logParams.slice(0, 5), P.pretty, ...logParams.slice(5)],
        operations: [{ method: 'get', operationId: `read${id}${ns}${r.kind}Log`, description: `read log of the specified ${r.kind}`, action: 'get', gvk, params: [], responses: { '200': undefined, '401': undefined }, textResponse: true }],
      });
    }
  }
  return items;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}

export { GENERIC_OBJECT };
