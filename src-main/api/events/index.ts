import type { ResourceDef } from '../resource';
import { eventsV1Def } from './event';

export const eventsKinds: ResourceDef[] = [eventsV1Def];

export { eventsV1Def, eventToCore, eventFromCore } from './event';
