/** The tray icon: the cluster's status in its tooltip and menu, and the quick actions (menu-template.ts). */
import { Menu, nativeImage, Tray } from 'electron';
import type { ClusterStatus } from '../shared/ipc';
import { statusTooltip } from './cluster-status';
import { trayMenuTemplate, type MenuActions } from './menu-template';

export class AppTray {
  private readonly tray: Tray;

  constructor(iconPath: string, private readonly actions: MenuActions) {
    const size = process.platform === 'win32' ? 16 : process.platform === 'darwin' ? 18 : 22;
    const image = nativeImage.createFromPath(iconPath);
    this.tray = new Tray(image.isEmpty() ? image : image.resize({ width: size, height: size }));
    this.tray.on('click', () => actions.showWindow());
  }

  update(status: ClusterStatus): void {
    if (this.tray.isDestroyed()) return;
    this.tray.setToolTip(statusTooltip(status));
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(status, this.actions)));
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}
