/**
 * The cluster DNS zone kept from shared informers (Namespaces, Services, EndpointSlices), as
 * CoreDNS's kubernetes plugin watches them. `startClusterDnsZone` registers the informers on the
 * given factory; the caller starts the factory (or it is started here when `start` is set).
 */
import { R, type SharedInformerFactory } from '../../client';
import type { KubeObject } from '../../api/types';
import { ZoneIndex } from './zone-index';
import { KubernetesZone } from './zone';

export { KubernetesZone, CLUSTER_DOMAIN, DNS_TTL } from './zone';
export { ZoneIndex } from './zone-index';

export interface ClusterDnsHandle {
  zone: KubernetesZone;
  /** Resolves once the three informers have listed (false if stopped first). */
  synced: Promise<boolean>;
  /** Removes the zone's handlers (the factory's owner stops the informers). */
  stop(): void;
}

export function startClusterDnsZone(factory: SharedInformerFactory, opts: { now?: () => number; start?: boolean } = {}): ClusterDnsHandle {
  const index = new ZoneIndex(opts.now);
  const zone = new KubernetesZone(index);
  const namespaces = factory.informerFor(R.namespaces);
  const services = factory.informerFor(R.services);
  const slices = factory.informerFor(R.endpointslices);
  const regs = [
    namespaces.addEventHandler({
      onAdd: (o: KubeObject) => index.upsertNamespace(o),
      onUpdate: (_: KubeObject, o: KubeObject) => index.upsertNamespace(o),
      onDelete: (o: KubeObject) => index.deleteNamespace(o),
    }),
    services.addEventHandler({
      onAdd: (o: KubeObject) => index.upsertService(o),
      onUpdate: (_: KubeObject, o: KubeObject) => index.upsertService(o),
      onDelete: (o: KubeObject) => index.deleteService(o),
    }),
    slices.addEventHandler({
      onAdd: (o: KubeObject) => index.upsertSlice(o),
      onUpdate: (_: KubeObject, o: KubeObject) => index.upsertSlice(o),
      onDelete: (o: KubeObject) => index.deleteSlice(o),
    }),
  ];
  if (opts.start) factory.start();
  const synced = Promise.all([namespaces.waitForSync(), services.waitForSync(), slices.waitForSync()]).then((r) => r.every(Boolean));
  return {
    zone,
    synced,
    stop: () => {
      for (const r of regs) r.remove();
    },
  };
}
