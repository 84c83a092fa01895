/** NodeUnschedulable: cordoned nodes only take pods that tolerate `node.kubernetes.io/unschedulable:NoSchedule`. */
import { asObject } from '../../api/types';
import { unresolvable, type FilterPlugin } from '../framework';
import { toleratesTaint } from './tolerations';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const ERR_NODE_UNSCHEDULABLE = 'node(s) were unschedulable';
const TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: FilterPlugin = {
  name: NODE_UNSCHEDULABLE,
  filter(state, node) {
    if (!node.unschedulable) return undefined;
    if (toleratesTaint(asObject(state.pod.pod.spec).tolerations, TAINT)) return undefined;
    return unresolvable(NODE_UNSCHEDULABLE, ERR_NODE_UNSCHEDULABLE);
  },
};
