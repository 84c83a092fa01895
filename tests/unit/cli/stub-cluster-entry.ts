/** Stands in for src-main/cluster.ts when process.test.ts bundles the CLI against the stub. */
export { startStubCluster as startCluster } from './stub-cluster';
