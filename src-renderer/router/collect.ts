/** Merges the `routes` arrays of the `routes-*.ts` modules (in file-name order). */
import type { RouteRecordRaw } from 'vue-router';

export function collectRoutes(mods: Record<string, { routes?: RouteRecordRaw[] }>): RouteRecordRaw[] {
  return Object.keys(mods)
    .sort()
    .flatMap((file) => mods[file].routes ?? []);
}
