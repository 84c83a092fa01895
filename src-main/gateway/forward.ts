/**
 * The gateway's use of the API's HTTP adapter (apiserver/transport.ts): its security headers on
 * every response, `no-store` caching, watch streams typed `application/json;stream=watch`, and
 * the session cookie (and any Authorization header) never passed on to the API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest, ApiResponse } from '../apiserver/types';
import type { UserInfo } from '../api/types';
import type { StatusError } from '../api/errors';
import * as transport from '../apiserver/transport';
import { SECURITY_HEADERS } from './static';

export { readBody } from '../apiserver/transport';
export { MAX_BODY_BYTES } from '../apiserver/media';

const GATEWAY_STYLE: transport.ResponseStyle = {
  headers: { ...SECURITY_HEADERS, 'x-accel-buffering': 'no' },
  cacheControl: 'no-store',
  watchContentType: 'application/json;stream=watch',
};

export function toApiRequest(req: IncomingMessage, body: Buffer | undefined, user: UserInfo, signal: AbortSignal | undefined): ApiRequest {
  // The session cookie authenticates to the gateway; the API sees only the session's user.
  return transport.toApiRequest(req, body, user, signal, ['cookie', 'authorization']);
}

export function writeStatus(res: ServerResponse, e: StatusError, head = false): void {
  transport.writeStatus(res, e, GATEWAY_STYLE, head);
}

export function writeApiResponse(req: IncomingMessage, res: ServerResponse, r: ApiResponse): void {
  transport.writeApiResponse(req, res, r, GATEWAY_STYLE);
}
