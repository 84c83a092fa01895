// Child process for crash.test.ts: writes objects as fast as it can and prints "<key> <rv>" to stdout
// (synchronously) after each commit has returned. The parent kills it with SIGKILL mid-burst.
import { writeSync } from 'node:fs';

const [bundle, path, tag] = process.argv.slice(2);
const { SqliteStore } = await import(bundle);
const store = SqliteStore.open({ path });
writeSync(1, `ready ${store.currentRevision()}\n`);
for (let i = 0; ; i++) {
  const key = `/registry/core/configmaps/${tag}/cm-${i}`;
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: tag }, data: { payload: 'x'.repeat(500 + (i % 300)) } };
  const created = store.create(key, obj);
  let rv = created.rv;
  if (i % 5 === 4) rv = store.update(key, { ...obj, data: { payload: 'updated' } }, rv).rv;
  writeSync(1, `${key} ${rv}\n`);
}
