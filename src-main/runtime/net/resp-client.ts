/**
 * A RESP client connection (what redis-cli and client libraries do): commands written as arrays
 * of bulk strings, replies matched to commands in order, so several callers can pipeline on one
 * connection. A reply of type error resolves as `{ error }` (a redis answer, not a failure); a
 * dropped connection rejects every waiting command with ECONNRESET.
 */
import type { Connection } from '../../network/types';
import type { RespValue } from '../program';
import { encodeCommand, RespParser } from './resp';
import { SocketError } from './errors';

interface Waiter {
  resolve(v: RespValue): void;
  reject(e: Error): void;
}

export class RespClient {
  private readonly parser = new RespParser('client');
  private readonly waiting: Waiter[] = [];
  private ended = false;

  constructor(
    private readonly conn: Connection,
    private readonly host: string,
  ) {
    const socket = conn.socket;
    socket.on('data', (chunk: Buffer) => {
      this.parser.push(chunk);
      try {
        for (let r = this.parser.nextReply(); r; r = this.parser.nextReply()) this.waiting.shift()?.resolve(r.value);
      } catch {
        this.fail('ECONNRESET');
        socket.destroy();
      }
    });
    socket.on('end', () => {
      this.fail('ECONNRESET');
      socket.end();
    });
    socket.on('close', () => this.fail('ECONNRESET'));
    socket.on('error', () => this.fail('ECONNRESET'));
  }

  get open(): boolean {
    return !this.ended;
  }

  command(args: string[]): Promise<RespValue> {
    if (this.ended) return Promise.reject(new SocketError('ECONNRESET', this.host));
    return new Promise<RespValue>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.conn.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.fail('ECONNRESET');
    this.conn.socket.destroy();
  }

  private fail(code: string): void {
    this.ended = true;
    for (const w of this.waiting.splice(0)) w.reject(new SocketError(code, this.host));
  }
}
