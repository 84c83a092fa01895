import type { ResourceDef } from '../resource';
import { hpaV1Def, hpaV2Def } from './hpa';

/** autoscaling: v2 is preferred and is the storage version; v1 converts. */
export const autoscalingKinds: ResourceDef[] = [hpaV2Def, hpaV1Def];

export { hpaV1Def, hpaV2Def, hpaV1ToV2, hpaV2ToV1 } from './hpa';
