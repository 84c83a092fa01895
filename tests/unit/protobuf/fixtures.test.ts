import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKubernetesProtobuf } from '../../../src-main/apiserver/protobuf';

interface Fixture {
  command: string;
  protobuf: string;
  json: Record<string, unknown>;
}

const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures.json'), 'utf8')) as Fixture[];

/**
 * Bodies recorded from real kubectl (capture-fixtures.mjs): the protobuf kubectl 1.33 sends must
 * decode to exactly the JSON kubectl 1.27 sends for the same command.
 */
describe('protobuf bodies recorded from kubectl 1.33 decode to the JSON kubectl 1.27 sends', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(20);
  });
  for (const f of fixtures) {
    it(`kubectl ${f.command}`, () => {
      const d = decodeKubernetesProtobuf(Buffer.from(f.protobuf, 'hex'));
      expect(d.kind).toBe(f.json.kind);
      expect(d.apiVersion).toBe(f.json.apiVersion);
      expect(d.object).toStrictEqual(f.json);
    });
  }
});
