/**
 * Parses an API path into what it addresses, as k8s.io/apiserver's RequestInfoFactory does:
 * `/api/v1/namespaces/default/pods/web/status` → group '', version v1, namespace default,
 * resource pods, name web, subresource status, verb from the method.
 */

export interface ResourceRequestInfo {
  isResource: true;
  group: string;
  version: string;
  namespace: string; // '' when the path has none
  resource: string;
  name: string; // '' for collections
  subresource: string; // ''
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  /** True when the path uses the legacy `/watch/` prefix. */
  legacyWatch: boolean;
}

export interface NonResourceRequestInfo {
  isResource: false;
  path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path.split('/').filter((p) => p !== '');
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { isResource: false, path };
  }
  if (rest.length === 0) return { isResource: false, path };

  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  // `/namespaces/{ns}` is the namespace object itself; `/namespaces/{ns}/{resource}` scopes a resource.
  const namespaceSubresource = rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = decodeURIComponent(rest[1]);
    rest = rest.slice(2);
  }
  const resource = rest[0];
  const name = rest[1] !== undefined ? decodeURIComponent(rest[1]) : '';
  const subresource = rest[2] ?? '';
  // Only the proxy subresource carries a path of its own (`…/services/web/proxy/some/path`).
  if (!resource || (rest.length > 3 && rest[2] !== 'proxy')) return { isResource: false, path };

  const watchParam = query.get('watch');
  const isWatch = legacyWatch || watchParam === 'true' || watchParam === '1';
  let verb: ResourceRequestInfo['verb'];
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = 'get';
  }
  return { isResource: true, group, version, namespace, resource, name, subresource, verb, legacyWatch };
}
