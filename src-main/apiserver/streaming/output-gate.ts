/**
 * Output back-pressure for exec/attach: when the client's connection has more queued than it
 * takes, the ContainerStream is asked to hold its output (if it supports `pauseOutput`), and to go
 * on once the connection drains.
 */
import type { Duplex } from 'node:stream';
import type { ContainerStream } from '../node-connections';

/** Returns the check to run after each write of output to `transport`. */
export function outputGate(transport: Duplex, stream: ContainerStream): () => void {
  let paused = false;
  const resume = () => {
    paused = false;
    stream.resumeOutput?.();
  };
  return () => {
    if (paused || !stream.pauseOutput || !transport.writableNeedDrain) return;
    paused = true;
    stream.pauseOutput();
    transport.once('drain', resume);
  };
}
