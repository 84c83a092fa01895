/// <reference types="vite/client" />

/** What the desktop preload exposes (absent in a plain browser). */
interface KubesimDesktopBridge {
  appVersion(): Promise<string>;
}

interface Window {
  kubesim?: KubesimDesktopBridge;
}
