/**
 * The shapes the rollout feature reads: workloads with a pod template (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, CronJob, Pod), ReplicaSets and
 * ControllerRevisions. Only the fields used here; everything else passes through untouched.
 */
import type { KubeObject } from '../../api/types';

export type Json = Record<string, unknown>;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ContainerSpec {
  name: string;
  image?: string;
  [field: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: unknown };
  spec?: { containers?: ContainerSpec[]; initContainers?: ContainerSpec[]; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController: whatever they share. */
export interface Workload extends KubeObject {
  metadata: KubeObject['metadata'] & { generation?: number };
  spec?: {
    replicas?: number;
    paused?: boolean;
    selector?: LabelSelector | Record<string, string>;
    template?: PodTemplate;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; [field: string]: unknown } };
    strategy?: { type?: string };
    jobTemplate?: { spec?: { template?: PodTemplate } };
    containers?: ContainerSpec[];
    initContainers?: ContainerSpec[];
    [field: string]: unknown;
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    conditions?: Condition[];
    [field: string]: unknown;
  };
}

export interface ReplicaSet extends Workload {
  spec?: Workload['spec'] & { template?: PodTemplate };
}

export interface ControllerRevision extends KubeObject {
  revision: number;
  data?: { spec?: { template?: PodTemplate & { $patch?: string } } } & Json;
}

/** The autoscaling/v1 Scale of a /scale subresource. */
export interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}
