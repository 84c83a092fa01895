/**
 * The router: the union of the `routes` arrays exported by every `routes-*.ts` module next to
 * this file and the features' extensions (features add a module instead of editing a shared list). Hash history, so the same
 * build works from the gateway's `/` and from file:// in the desktop window.
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { collectRoutes } from './collect';
import { extensions } from '../extensions/registry';

const modules = import.meta.glob<{ routes?: RouteRecordRaw[] }>('./routes-*.ts', { eager: true });

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [...collectRoutes(modules), ...extensions.routes],
});
