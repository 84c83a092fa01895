/**
 * A program's RESP handler served over a socket as redis-server does: requests as arrays of bulk
 * strings or inline commands, any number per read (pipelining), replies written in order, one
 * write per read; a protocol error answers `-ERR Protocol error: …` and closes; QUIT answers +OK
 * and closes.
 */
import type { Connection } from '../../network/types';
import type { RespHandler, RespValue } from '../program';
import { encodeReply, RespParser, RespProtocolError } from './resp';

export function serveResp(conn: Connection, handler: RespHandler, onCommand?: () => void): void {
  const socket = conn.socket;
  const parser = new RespParser('server');
  socket.on('data', (chunk: Buffer) => {
    parser.push(chunk);
    let out = '';
    let quit = false;
    try {
      for (let cmd = parser.nextCommand(); cmd; cmd = parser.nextCommand()) {
        onCommand?.();
        if (cmd[0]!.toUpperCase() === 'QUIT') {
          out += '+OK\r\n';
          quit = true;
          break;
        }
        let reply: RespValue;
        try {
          reply = handler(cmd);
        } catch (e) {
          reply = { error: `ERR ${(e as Error)?.message ?? String(e)}` };
        }
        out += encodeReply(reply);
      }
    } catch (e) {
      if (!(e instanceof RespProtocolError)) throw e;
      out += `-ERR Protocol error: ${e.message}\r\n`;
      quit = true;
    }
    if (quit) {
      socket.end(out);
      return;
    }
    if (out && !socket.write(out)) {
      // the client does not read its replies: stop reading its commands until it does
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
}
