/**
 * What the job controller's sync functions share: the dependencies (client, informers, pod
 * control, clock, expectations, back-off records, requeue) and the per-sync view of one Job.
 */
import type { Clock, KubeClient, SharedInformer } from '../../client';
import type { BackoffRecord, BackoffStore } from './backoff';
import type { ControllerExpectations } from '../expectations';
import type { FinalizerExpectations } from './finalizer-expectations';
import type { Interval } from './indexes';
import type { JobPodControl } from './pod-control';
import type { Job, JobCondition, Pod } from './types';

/** At most this many pod creations/deletions per sync (MaxPodCreateDeletePerSync). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** At most this many UIDs in uncountedTerminatedPods (MaxUncountedPods). */
export const MAX_UNCOUNTED_PODS = 500;

export interface JobSyncDeps {
  client: KubeClient;
  jobs: SharedInformer<Job>;
  pods: SharedInformer<Pod>;
  podControl: JobPodControl;
  clock: Clock;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  /** Sync the key again after `ms`. */
  requeueAfter(key: string, ms: number): void;
}

/** What one sync of one Job knows. */
export interface SyncCtx {
  job: Job;
  key: string;
  pods: Pod[];
  activePods: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRm: ReadonlySet<string>;
  newBackoff: BackoffRecord;
  finished?: JobCondition;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  /** backoffLimitPerIndex only. */
  failedIndexes?: Interval[];
  /** backoffLimitPerIndex: per index, the failed pod whose finalizer waits for its replacement. */
  delayed: Map<number, Pod>;
}
