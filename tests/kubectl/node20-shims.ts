/**
 * @kubernetes/client-node 2.x depends on undici 8, which wants Node >= 22.19; the project runs on
 * Node 20. These three gaps are all undici needs for the client's HTTPS calls and watches. Import
 * this module before '@kubernetes/client-node'. (zstd content-encoding stays unsupported.)
 */
import zlib from 'node:zlib';
import workerThreads from 'node:worker_threads';

const z = zlib as unknown as Record<string, unknown>;
if (typeof z.createZstdDecompress !== 'function') {
  z.createZstdDecompress = () => {
    throw new Error('zstd decompression needs Node 22');
  };
}
const wt = workerThreads as unknown as Record<string, unknown>;
if (typeof wt.markAsUncloneable !== 'function') wt.markAsUncloneable = () => {};
const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise, resolve, reject };
  };
}
