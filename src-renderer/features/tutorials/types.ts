/**
 * A guided tutorial: steps the user performs (a kubectl command to type, and/or a way to do it in
 * the UI) that tick off when the cluster shows their effect (`check`, a pure test over the
 * objects of the tutorial's namespace) or, when nothing in the cluster changes, by hand.
 */

/** The kinds the checks read (one informer each, in the tutorial's namespace). */
export type WatchedKind = 'deployments' | 'replicasets' | 'pods' | 'services' | 'statefulsets' | 'persistentvolumeclaims';

export interface Obj {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    generation?: number;
    ownerReferences?: { kind: string; name: string; uid?: string }[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** The objects the checks see: every watched kind, in the tutorial's namespace. */
export type ClusterState = Record<WatchedKind, readonly Obj[]>;

export interface Check {
  /** What the cluster must show, in words (shown while waiting). */
  expect: string;
  needs: WatchedKind[];
  test(s: ClusterState): boolean;
}

export interface Manifest {
  /** The file name the tutorial saves it as. */
  file: string;
  yaml: string;
}

export interface Step {
  id: string;
  title: string;
  /** What and why, in a few sentences. */
  text: string;
  /** Commands to type in a terminal, in order. */
  commands?: string[];
  /** A file to save first (and that the UI can apply for you). */
  manifest?: Manifest;
  /** The UI way: a route in this app. */
  ui?: { label: string; to: string };
  /** A side remark (differences from the original text, what to look for). */
  note?: string;
  /** Ticks off when this holds; without one the step is manual (a "Done" checkbox). */
  check?: Check;
}

export interface Tutorial {
  id: string;
  title: string;
  /** Where the original text comes from. */
  source: string;
  summary: string;
  /** The namespace its commands work in (kubectl's default). */
  namespace: string;
  steps: Step[];
}
