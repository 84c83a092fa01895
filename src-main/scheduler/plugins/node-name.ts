/** NodeName: a pod that names its node fits only there. */
import { unresolvable, type FilterPlugin } from '../framework';

export const NODE_NAME = 'NodeName';
export const ERR_NODE_NAME = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: NODE_NAME,
  preFilter: (state) => (state.pod.nodeName ? undefined : 'skip'),
  filter(state, node) {
    return state.pod.nodeName && state.pod.nodeName !== node.name ? unresolvable(NODE_NAME, ERR_NODE_NAME) : undefined;
  },
};
