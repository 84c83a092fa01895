/** The default profile's score plugins: what each prefers, and its weight (its score's maximum is 100 × weight). */

export const SCORE_PLUGINS: Record<string, { prefers: string; weight: number }> = {
  TaintToleration: { prefers: 'fewer PreferNoSchedule taints the pod does not tolerate', weight: 3 },
  NodeAffinity: { prefers: "matching the pod's preferred node affinity", weight: 2 },
  PodTopologySpread: { prefers: 'spreading pods of one workload across nodes and zones', weight: 2 },
  InterPodAffinity: { prefers: "matching the pod's preferred pod (anti-)affinity", weight: 2 },
  NodeResourcesFit: { prefers: 'more free CPU and memory (least allocated)', weight: 1 },
  NodeResourcesBalancedAllocation: { prefers: 'balanced CPU and memory use after placing the pod', weight: 1 },
  ImageLocality: { prefers: "already having the pod's images", weight: 1 },
};

/** Short column titles for the score table. */
export function pluginShortName(p: string): string {
  const short: Record<string, string> = { NodeResourcesBalancedAllocation: 'Balanced', NodeResourcesFit: 'Resources', TaintToleration: 'Taints', PodTopologySpread: 'Spread', InterPodAffinity: 'Pod affinity', NodeAffinity: 'Node affinity', ImageLocality: 'Images' };
  return short[p] ?? p;
}

/** The maximum of a plugin's weighted score (100 × weight), when the plugin is known. */
export function pluginMax(p: string): number | undefined {
  const w = SCORE_PLUGINS[p]?.weight;
  return w === undefined ? undefined : 100 * w;
}
