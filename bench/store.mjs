// Storage benchmark: raw SQLite commits vs SqliteStore writes, same pragmas, same count, same run.
//   sqlite_raw_commits_per_s  bare better-sqlite3: one single-row INSERT transaction per ~2 KB value
//   store_writes_per_s        SqliteStore.create of ~2 KB pods (log row + current row + cache + fan-out)
//   store_vs_raw              the ratio (target >= 0.3)
//   store_list_10k_pods_ms    SqliteStore.list of 10,000 pods under one prefix (target well under 50)
// Run alone: node bench/store.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Bundles src-main/storage/sqlite-store.ts into `dir` (better-sqlite3 external, resolved from this checkout). */
async function bundleStore(dir) {
  const { build } = await import('esbuild');
  const sqlite = require.resolve('better-sqlite3');
  const outfile = join(dir, 'sqlite-store.mjs');
  await build({
    entryPoints: [join(here, '../src-main/storage/sqlite-store.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    plugins: [{ name: 'sqlite-external', setup: (b) => b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true })) }],
  });
  return outfile;
}

/** A pod as a real cluster stores it (~2 KB of JSON). */
function pod(ns, i) {
  const name = `web-7d9f8c6b5d-${String(i).padStart(5, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: 'web-7d9f8c6b5d-',
      namespace: ns,
      uid: `3f1c2a9e-8b7d-4e6f-a5c4-${String(i).padStart(12, '0')}`,
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5d', tier: 'frontend' },
      annotations: { 'kubernetes.io/created-by': 'kubesim-bench', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9113' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5d', uid: '9a8b7c6d-5e4f-3a2b-1c0d-ffeeddccbbaa', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.25.3',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 80, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      volumes: [{ name: 'kube-api-access-x7k2p', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      nodeName: `worker-${i % 2 + 1}`,
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:05Z' })),
      hostIP: '172.18.0.3',
      podIP: `10.244.${i % 250}.${(i >> 8) % 250}`,
      podIPs: [{ ip: `10.244.${i % 250}.${(i >> 8) % 250}` }],
      startTime: '2024-05-01T10:00:00Z',
      containerStatuses: [{ name: 'nginx', state: { running: { startedAt: '2024-05-01T10:00:04Z' } }, lastState: {}, ready: true, restartCount: 0, image: 'docker.io/library/nginx:1.25.3', imageID: 'docker.io/library/nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', containerID: `containerd://${'ab'.repeat(32)}`, started: true }],
      qosClass: 'Burstable',
    },
  };
}

export async function benchStore({ tmpDir }) {
  const dir = mkdtempSync(join(tmpDir ?? tmpdir(), 'kubesim-bench-store-'));
  try {
    const Database = require('better-sqlite3');
    const { SqliteStore, WAL_AUTOCHECKPOINT_PAGES } = await import(pathToFileURL(await bundleStore(dir)).href);
    const N = 5000; // a multiple of CHUNK
    const pods = Array.from({ length: N }, (_, i) => pod('bench', i));
    const values = pods.map((p) => JSON.stringify(p));

    // Raw: single-row INSERT transactions with the same pragmas.
    const db = new Database(join(dir, 'raw.db'));
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.exec('CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT)');
    const ins = db.prepare('INSERT INTO log (key, value) VALUES (?, ?)');
    const tx = db.transaction((k, v) => ins.run(k, v));
    // Store: the same count of realistic pods, with one watcher (as the API server always has).
    const store = SqliteStore.open({ path: join(dir, 'store.db') });
    let events = 0;
    store.watch('/registry/core/pods/', { fromRevision: 0 }, () => events++);
    for (let i = 0; i < 200; i++) {
      tx(`/warm/${i}`, values[i]);
      store.create(`/registry/core/pods/warm/p${i}`, pod('warm', i));
    }
    // Alternate chunks of both, so a busy machine slows both alike.
    const CHUNK = 250;
    let rawNs = 0n;
    let storeNs = 0n;
    for (let c = 0; c < N; c += CHUNK) {
      let t = process.hrtime.bigint();
      for (let i = c; i < c + CHUNK; i++) tx(`/registry/core/pods/bench/${pods[i].metadata.name}`, values[i]);
      rawNs += process.hrtime.bigint() - t;
      t = process.hrtime.bigint();
      for (let i = c; i < c + CHUNK; i++) store.create(`/registry/core/pods/bench/${pods[i].metadata.name}`, pods[i]);
      storeNs += process.hrtime.bigint() - t;
    }
    const rawS = Number(rawNs) / 1e9;
    const storeS = Number(storeNs) / 1e9;
    db.close();
    if (events !== N + 200) throw new Error(`bench: the watcher saw ${events} events, expected ${N + 200}`);

    // List of 10k pods under one prefix (median of 5).
    for (let i = N; i < 10_000; i++) store.create(`/registry/core/pods/bench/${pod('bench', i).metadata.name}`, pod('bench', i));
    const times = [];
    for (let r = 0; r < 5; r++) {
      const t = process.hrtime.bigint();
      const l = store.list('/registry/core/pods/bench/');
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (l.items.length !== 10_000) throw new Error(`bench: listed ${l.items.length} pods, expected 10000`);
    }
    store.close();
    times.sort((a, b) => a - b);

    const raw = N / rawS;
    const st = N / storeS;
    return {
      sqlite_raw_commits_per_s: Math.round(raw),
      store_writes_per_s: Math.round(st),
      store_vs_raw: Math.round((st / raw) * 100) / 100,
      store_list_10k_pods_ms: Math.round(times[2] * 100) / 100,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await benchStore({ tmpDir: tmpdir() }));
}
