/**
 * A minimal JSON request helper over the in-process ApiHandler, for bootstrap and heartbeats,
 * which run before any informer exists. Components with real work use src-main/client.
 */
import type { ApiHandler } from '../apiserver/types';
import type { KubeObject, Status, UserInfo } from '../api/types';
import { StatusError } from '../api/errors';

export type ApiCall = <T = KubeObject>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: object, contentType?: string) => Promise<T>;

export function apiCaller(handler: ApiHandler, user: UserInfo): ApiCall {
  return async <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: object, contentType?: string): Promise<T> => {
    const [p, q] = path.split('?');
    const r = await handler({
      method,
      path: p,
      query: new URLSearchParams(q ?? ''),
      headers: { 'content-type': contentType ?? 'application/json', accept: 'application/json', 'user-agent': `${user.name}/kubesim` },
      body,
      user,
    });
    if (r.type !== 'object') throw new Error(`unexpected ${r.type} response for ${method} ${path}`);
    if (r.status >= 400) {
      const s = r.body as Status;
      throw new StatusError(s.code, s.reason ?? '', s.message ?? '', s.details);
    }
    return r.body as T;
  };
}

/** Creates the object unless it exists (409 AlreadyExists is fine). */
export async function ensure(call: ApiCall, collectionPath: string, obj: object): Promise<void> {
  try {
    await call('POST', collectionPath, obj);
  } catch (e) {
    if (e instanceof StatusError && e.code === 409) return;
    throw e;
  }
}
