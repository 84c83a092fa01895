/**
 * The pod-template-hash (controller.ComputeHash): FNV-32a over the pod template, then the
 * collisionCount as 8 little-endian bytes when set, the 32-bit sum printed in decimal and each
 * digit mapped through rand.SafeEncodeString's alphabet (so hashes use b c d f 4 5 6 7 8 9).
 *
 * Upstream hashes the Go struct as printed by spew (`%#v`, sorted keys); this hashes the
 * template's canonical JSON (keys sorted) instead, so the digits differ from a real cluster's for
 * the same template, but have the same shape and the same properties: stable for a template,
 * different after any template change, and changed by a collision count bump.
 */
import type { Obj } from './util';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v as Obj)
      .filter((k) => (v as Obj)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each byte of `s` mapped to the alphabet by value modulo 27. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) out += SAFE_ALPHABET[ch % SAFE_ALPHABET.length];
  return out;
}

export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template ?? {}), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(collisionCount >>> 0, 0);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
