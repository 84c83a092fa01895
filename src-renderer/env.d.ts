/// <reference types="vite/client" />

/**
 * `window.kubesim`: what the desktop preload exposes (absent in a plain browser). Its calls and
 * their types come from THE IPC map in src-main/shared/ipc.ts (types only: nothing from src-main
 * is bundled into the renderer).
 */
interface Window {
  kubesim?: import('../src-main/shared/ipc').KubesimBridge;
}
