/** Userlands the images are built on: busybox (applets) and Debian/Ubuntu (dash, bash, coreutils). */
import { GNU_LOCATIONS, TOOLS } from '../tools';
import type { FsNode } from '../vfs';
import { exe } from './types';

const BUSYBOX_EXTRA = ['sh', 'ash'];

/** busybox: every applet is `/bin/<name>` (hard links to /bin/busybox). */
export function busyboxUserland(): Record<string, string | FsNode> {
  const files: Record<string, string | FsNode> = { '/bin/busybox': exe('busybox') };
  for (const name of [...Object.keys(TOOLS), ...BUSYBOX_EXTRA]) files[`/bin/${name}`] = exe('busybox');
  files['/tmp'] = { kind: 'dir', mode: 0o1777 };
  files['/root'] = { kind: 'dir', mode: 0o700 };
  files['/home'] = { kind: 'dir', mode: 0o755 };
  files['/var/spool/mail'] = { kind: 'dir', mode: 0o755 };
  files['/var/www'] = { kind: 'dir', mode: 0o755 };
  for (const d of ['/dev', '/proc', '/sys', '/usr/sbin', '/lib']) files[d] = { kind: 'dir', mode: 0o755 };
  files['/etc/passwd'] = 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
  files['/etc/group'] = 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nnobody:x:65534:\n';
  return files;
}

export interface DebianFlavor {
  prettyName: string;
  id: 'debian' | 'ubuntu';
  versionId: string;
  codename: string;
  /** procps (`ps`) is in Ubuntu's base image but not in Debian's. */
  procps: boolean;
}

/** Debian/Ubuntu: /bin/sh is dash, bash, GNU coreutils in /usr/bin (and /bin, merged /usr). */
export function debianUserland(f: DebianFlavor): Record<string, string | FsNode> {
  const files: Record<string, string | FsNode> = {};
  const put = (name: string, node: FsNode) => {
    files[`/usr/bin/${name}`] = node;
    files[`/bin/${name}`] = node;
  };
  put('sh', exe('dash'));
  put('dash', exe('dash'));
  put('bash', exe('bash'));
  for (const name of Object.keys(GNU_LOCATIONS)) put(name, exe('gnu'));
  if (f.procps) put('ps', exe('gnu'));
  put('getent', exe('gnu')); // libc-bin
  files['/tmp'] = { kind: 'dir', mode: 0o1777 };
  files['/root'] = { kind: 'dir', mode: 0o700 };
  files['/home'] = { kind: 'dir', mode: 0o755 };
  files['/var/log'] = { kind: 'dir', mode: 0o755 };
  for (const d of ['/dev', '/proc', '/sys', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/srv', '/opt', '/mnt', '/media', '/run', '/var/tmp', '/var/lib', '/etc/apt']) files[d] = { kind: 'dir', mode: 0o755 };
  files['/etc/os-release'] =
    f.id === 'debian'
      ? `PRETTY_NAME="${f.prettyName}"\nNAME="Debian GNU/Linux"\nVERSION_ID="${f.versionId}"\nVERSION="${f.versionId} (${f.codename})"\nVERSION_CODENAME=${f.codename}\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n`
      : `PRETTY_NAME="${f.prettyName}"\nNAME="Ubuntu"\nVERSION_ID="${f.versionId}"\nVERSION="${f.prettyName.replace('Ubuntu ', '')}"\nVERSION_CODENAME=${f.codename}\nID=ubuntu\nID_LIKE=debian\nHOME_URL="https://www.ubuntu.com/"\nSUPPORT_URL="https://help.ubuntu.com/"\nBUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\nPRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\nUBUNTU_CODENAME=${f.codename}\nLOGO=ubuntu-logo\n`;
  files['/etc/debian_version'] = f.id === 'debian' ? `${f.versionId}\n` : `${f.codename}/sid\n`;
  files['/etc/passwd'] = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n';
  files['/etc/group'] = 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwww-data:x:33:\nnogroup:x:65534:\n';
  files['/root/.bashrc'] = '# ~/.bashrc: executed by bash(1) for non-login shells.\n';
  return files;
}

export const BOOKWORM: DebianFlavor = { prettyName: 'Debian GNU/Linux 12 (bookworm)', id: 'debian', versionId: '12', codename: 'bookworm', procps: false };
export const BULLSEYE: DebianFlavor = { prettyName: 'Debian GNU/Linux 11 (bullseye)', id: 'debian', versionId: '11', codename: 'bullseye', procps: false };
export const TRIXIE: DebianFlavor = { prettyName: 'Debian GNU/Linux 13 (trixie)', id: 'debian', versionId: '13', codename: 'trixie', procps: false };
