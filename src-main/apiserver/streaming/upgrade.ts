/**
 * The upgrade requests of `pods/exec`, `pods/attach` and `pods/portforward` (the HTTPS listener
 * hands them over after authenticating): the checks of `location.ts`, protocol negotiation
 * (WebSocket subprotocols, SPDY's X-Stream-Protocol-Version), the kubelet's session through
 * `ctx.nodes`, the 101, then the protocol glue.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError } from '../../api/errors';
import type { ServerContext } from '../context';
import type { ApiRequest } from '../types';
import type { ContainerStream, NodeConnection } from '../node-connections';
import { parseRequestInfo } from '../request-info';
import { checkStreamingMethod, isStreamingSubresource, kubeletOptionsError, remoteCommandOptions, streamLocation, type StreamLocation } from './location';
import { negotiateChannelProtocol, offeredProtocols, CHANNEL_PROTOCOLS } from './channels';
import { writeSpdyAccept, writeStatusResponse, writeTextError, writeWebSocketAccept } from './handshake';
import { WsConnection } from './websocket/connection';
import { serveWsRemoteCommand } from './ws-remote-command';
import { serveSpdyRemoteCommand } from './spdy-remote-command';
import { servePortForward } from './port-forward';
import { WsByteStream } from './ws-tunnel';
import { parseForwardPorts, serveWsPortForward } from './ws-port-forward';

/** SPDY exec/attach protocols, newest first (v5 over SPDY behaves as v4: SPDY closes streams itself). */
const SPDY_REMOTE_COMMAND: Record<string, number> = { 'v5.channel.k8s.io': 5, 'v4.channel.k8s.io': 4, 'v3.channel.k8s.io': 3, 'v2.channel.k8s.io': 2, 'channel.k8s.io': 1 };
const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
const TUNNEL_PREFIX = 'SPDY/3.1+';
/** The kubelet's WebSocket port-forward protocols (none offered = the legacy binary one). */
const WS_PORT_FORWARD = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];

/** Takes over the socket of an upgrade request. Returns false when the path is not a streaming one. */
export type StreamingUpgradeHandler = (apiReq: ApiRequest, req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<boolean>;

const BAD_HANDSHAKE = 'websocket: the client is not using the websocket protocol: missing Sec-WebSocket-Key or Sec-WebSocket-Version 13';

/** A refusal before the switch (the kubelet's plain text); the socket is done with. */
function refuse(socket: Duplex, code: number, text: string): true {
  writeTextError(socket, code, text);
  return true;
}

function listHeader(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function dialError(nodeName: string): StatusError {
  return new StatusError(500, 'InternalError', `error dialing backend: dial tcp: lookup ${nodeName}: no such host`);
}

export function createStreamingUpgrades(ctx: ServerContext): StreamingUpgradeHandler {
  return async (apiReq, req, socket, head) => {
    let info;
    try {
      info = parseRequestInfo(apiReq.method, apiReq.path, apiReq.query);
    } catch {
      return false;
    }
    if (!info.isResource || info.group !== '' || info.resource !== 'pods' || !isStreamingSubresource(info.subresource) || !info.name || !info.namespace) return false;
    const sub = info.subresource;
    const def = ctx.registry.get('', info.version, 'pods');
    if (!def) return false;
    socket.on('error', () => socket.destroy());
    try {
      checkStreamingMethod(apiReq.method);
      const upgrade = (apiReq.headers.upgrade ?? '').toLowerCase();
      const loc = streamLocation(ctx, def, info.namespace, info.name, sub, apiReq.query);
      const node = ctx.nodes?.node(loc.nodeName);
      if (sub === 'portforward') {
        if (!node) throw dialError(loc.nodeName);
        portForward(apiReq, socket, head, upgrade, loc, node);
        return true;
      }
      const opts = remoteCommandOptions(apiReq.query, sub);
      // The kubelet's side: its protocol negotiation and option checks come before the 101.
      let ws: { key: string; protocol: ReturnType<typeof negotiateChannelProtocol> } | undefined;
      let spdyProtocol: string | undefined;
      if (upgrade === 'websocket') {
        const key = apiReq.headers['sec-websocket-key'];
        if (!key || apiReq.headers['sec-websocket-version'] !== '13') return refuse(socket, 400, BAD_HANDSHAKE);
        const offered = offeredProtocols(apiReq.headers['sec-websocket-protocol']);
        const protocol = negotiateChannelProtocol(offered);
        if (!protocol) return refuse(socket, 400, `unable to upgrade: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${CHANNEL_PROTOCOLS.map((p) => p.name).join(' ')}]`);
        ws = { key, protocol };
      } else if (upgrade === 'spdy/3.1') {
        const offered = listHeader(apiReq.headers['x-stream-protocol-version']);
        spdyProtocol = offered.length === 0 ? '' : offered.find((p) => p in SPDY_REMOTE_COMMAND);
        if (spdyProtocol === undefined) return refuse(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${Object.keys(SPDY_REMOTE_COMMAND).join(' ')}]`);
      } else {
        writeStatusResponse(socket, new StatusError(400, 'BadRequest', 'Upgrade request required'));
        return true;
      }
      const optsErr = kubeletOptionsError(sub, opts);
      if (optsErr) return refuse(socket, 400, optsErr);
      if (!node) throw dialError(loc.nodeName);
      const open = sub === 'exec' ? node.exec?.bind(node) : node.attach?.bind(node);
      if (!open) throw dialError(loc.nodeName);
      let stream: ContainerStream;
      try {
        stream = await open({ namespace: loc.namespace, pod: loc.name, uid: loc.uid, container: loc.container, command: opts.command, stdin: opts.stdin, stdout: opts.stdout, stderr: opts.stderr, tty: opts.tty });
      } catch (e) {
        // The kubelet's refusal (container not running, …): its text, as the proxy passes it on.
        if (e instanceof StatusError) return refuse(socket, e.status.code, e.status.message ?? e.message);
        return refuse(socket, 500, e instanceof Error ? e.message : String(e));
      }
      if (socket.destroyed) {
        stream.close();
        return true;
      }
      if (ws) {
        writeWebSocketAccept(socket, ws.key, ws.protocol!.name);
        serveWsRemoteCommand(new WsConnection(socket, head), ws.protocol!, stream, opts, opts.command);
      } else {
        writeSpdyAccept(socket, spdyProtocol ?? '');
        serveSpdyRemoteCommand(socket, head, SPDY_REMOTE_COMMAND[spdyProtocol ?? ''] ?? 1, stream, opts, opts.command);
      }
      return true;
    } catch (e) {
      if (e instanceof StatusError) writeStatusResponse(socket, e);
      else writeStatusResponse(socket, new StatusError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
      return true;
    }
  };
}

function portForward(apiReq: ApiRequest, socket: Duplex, head: Buffer, upgrade: string, loc: StreamLocation, node: NodeConnection): void {
  const target = { namespace: loc.namespace, pod: loc.name, uid: loc.uid };
  if (upgrade === 'websocket') {
    const key = apiReq.headers['sec-websocket-key'];
    if (!key || apiReq.headers['sec-websocket-version'] !== '13') return writeTextError(socket, 400, BAD_HANDSHAKE);
    const offered = offeredProtocols(apiReq.headers['sec-websocket-protocol']);
    const tunnel = offered.filter((p) => p.startsWith(TUNNEL_PREFIX) && p.endsWith('.k8s.io')).map((p) => p.slice(TUNNEL_PREFIX.length));
    if (tunnel.length === 0) {
      // The kubelet's own WebSocket port-forward (channel protocol, ports in the query).
      const usable = offered.filter((p) => WS_PORT_FORWARD.includes(p));
      if (offered.length && !usable.length) return void refuse(socket, 400, `unable to upgrade: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${WS_PORT_FORWARD.join(' ')}]`);
      const protocol = negotiateChannelProtocol(usable)!;
      const ports = parseForwardPorts(apiReq.query.getAll('ports'));
      if (typeof ports === 'string') return void refuse(socket, 400, ports);
      writeWebSocketAccept(socket, key, protocol.name);
      serveWsPortForward(new WsConnection(socket, head), protocol, ports, node, target);
      return;
    }
    // Upstream's tunnelling handler: only `SPDY/3.1+<protocol>` offers, answered with the SPDY protocol the kubelet chose.
    if (!tunnel.includes(PORT_FORWARD_PROTOCOL)) return writeTextError(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${tunnel.join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`);
    writeWebSocketAccept(socket, key, TUNNEL_PREFIX + PORT_FORWARD_PROTOCOL);
    const conn = new WsConnection(socket, head);
    servePortForward(new WsByteStream(conn), undefined, node, target);
    return;
  }
  if (upgrade !== 'spdy/3.1') return writeStatusResponse(socket, new StatusError(400, 'BadRequest', 'Upgrade request required'));
  const offered = listHeader(apiReq.headers['x-stream-protocol-version']);
  if (offered.length && !offered.includes(PORT_FORWARD_PROTOCOL)) {
    return writeTextError(socket, 403, `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`);
  }
  writeSpdyAccept(socket, offered.length ? PORT_FORWARD_PROTOCOL : '');
  servePortForward(socket, head, node, target);
}
