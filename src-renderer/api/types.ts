/** The few Kubernetes object shapes the UI reads (the renderer imports nothing from src-main). */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  finalizers?: string[];
  generateName?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface KubeList<T extends KubeObject> {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

export interface Status {
  kind: 'Status';
  code: number;
  reason?: string;
  message?: string;
  details?: StatusDetails;
}

/** One field error of an Invalid (422) answer: `field` is a path such as `spec.replicas`. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; effect: string; value?: string }[] };
  status?: {
    conditions?: NodeCondition[];
    capacity?: Quantities;
    allocatable?: Quantities;
    addresses?: { type: string; address: string }[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; architecture?: string };
  };
}

export interface Namespace extends KubeObject {
  status?: { phase?: 'Active' | 'Terminating' };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T | Status;
}

/** meta.k8s.io/v1 Table (what `kubectl get` prints): columns and one row per object. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  /** PartialObjectMetadata with `includeObject=Metadata`, the object with `includeObject=Object`. */
  object?: KubeObject;
}

export interface Table extends KubeObject {
  kind: 'Table';
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** One served resource found through discovery. */
export interface ApiResource {
  group: string;
  version: string;
  /** The plural, as in URLs: `pods`, `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
}

export interface Quantities {
  cpu?: string;
  memory?: string;
  pods?: string;
  [name: string]: string | undefined;
}

export interface Container {
  name: string;
  image?: string;
  resources?: { requests?: Quantities; limits?: Quantities };
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; containers?: Container[]; initContainers?: Container[] };
  status?: { phase?: string; conditions?: NodeCondition[] };
}

export interface Deployment extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number };
}

export interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; apiVersion?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
}
