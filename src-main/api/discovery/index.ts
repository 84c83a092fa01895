import type { ResourceDef } from '../resource';
import { endpointSlicesDef } from './endpointslice';

export const discoveryKinds: ResourceDef[] = [endpointSlicesDef];

export { endpointSlicesDef };
