/**
 * "Apply in the cluster" for a tutorial's manifest: each YAML document sent as a server-side
 * apply (create or update) to its collection in the tutorial's namespace. Only the kinds the
 * tutorials use are known.
 */
import { parseAllDocuments } from 'yaml';
import { patchObject } from '../../api/write';
import type { KubeObject } from '../../api/types';
import { objectPath, parseApiVersion, type ResourceRef } from '../../util/paths';

const RESOURCES: Record<string, string> = {
  Pod: 'pods',
  Service: 'services',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  ConfigMap: 'configmaps',
};

export interface ManifestDoc {
  ref: ResourceRef;
  obj: KubeObject;
}

/** The manifest's objects with where they go (throws on YAML errors and unknown kinds). */
export function manifestDocs(yaml: string, namespace: string): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const doc of parseAllDocuments(yaml)) {
    if (doc.errors.length) throw new Error(doc.errors[0].message);
    const obj = doc.toJSON() as KubeObject | null;
    if (!obj) continue;
    const resource = obj.kind ? RESOURCES[obj.kind] : undefined;
    if (!resource || !obj.apiVersion || !obj.metadata?.name) throw new Error(`cannot apply ${obj.kind ?? 'an object without kind'} from here`);
    obj.metadata.namespace ??= namespace;
    out.push({ ref: { ...parseApiVersion(obj.apiVersion), resource }, obj });
  }
  return out;
}

/**
 * Applies every document; resolves to kubectl-style lines (`deployment.apps/x applied`). Forced,
 * as `kubectl apply` overwrites what it declares whoever set it before (kubectl's own field
 * manager included), instead of failing with a field-manager conflict.
 */
export async function applyManifest(yaml: string, namespace: string): Promise<string[]> {
  const lines: string[] = [];
  for (const { ref, obj } of manifestDocs(yaml, namespace)) {
    await patchObject(objectPath(ref, obj.metadata.namespace, obj.metadata.name), obj, 'apply', { fieldManager: 'kubesim-ui', force: true });
    lines.push(`${obj.kind!.toLowerCase()}${ref.group ? `.${ref.group}` : ''}/${obj.metadata.name} applied`);
  }
  return lines;
}
