/**
 * luksa/fortune (Kubernetes in Action ch. 6–7): Ubuntu 16.04 with the `fortune` package and
 * /bin/fortuneloop.sh, a bash loop that writes a fortune to /var/htdocs/index.html every N
 * seconds (logging `<date> Writing fortune to /var/htdocs/index.html`), served by an nginx
 * sidecar over a shared emptyDir. `latest`: shell-form ENTRYPOINT, every 10 s, `mkdir
 * /var/htdocs` (which complains when the volume is already mounted there); `args`: the interval
 * is `$1` (CMD `10`); `env`: the interval is `$INTERVAL`. The scripts run in the simulated bash,
 * `trap "exit" SIGINT` included; SIGTERM is ignored (bash as PID 1), so stops wait for SIGKILL.
 */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { debianUserland, type DebianFlavor } from './os';
import type { Program } from '../program';

const XENIAL: DebianFlavor = { prettyName: 'Ubuntu 16.04.3 LTS', id: 'ubuntu', versionId: '16.04', codename: 'xenial', procps: true };

export const FORTUNELOOP = `#!/bin/bash
trap "exit" SIGINT
mkdir /var/htdocs

while :
do
  echo $(date) Writing fortune to /var/htdocs/index.html
  /usr/games/fortune > /var/htdocs/index.html
  sleep 10
done
`;

export const FORTUNELOOP_ARGS = `#!/bin/bash
trap "exit" SIGINT

INTERVAL=$1
echo Configured to generate new fortune every $INTERVAL seconds

mkdir -p /var/htdocs

while :
do
  echo $(date) Writing fortune to /var/htdocs/index.html
  /usr/games/fortune > /var/htdocs/index.html
  sleep $INTERVAL
done
`;

export const FORTUNELOOP_ENV = `#!/bin/bash
trap "exit" SIGINT

echo Configured to generate new fortune every $INTERVAL seconds

mkdir -p /var/htdocs

while :
do
  echo $(date) Writing fortune to /var/htdocs/index.html
  /usr/games/fortune > /var/htdocs/index.html
  sleep $INTERVAL
done
`;

/** A few cookies in the style of fortune-mod's databases (each ends with a newline). */
export const FORTUNES = [
  'You will be surprised by a loud noise.\n',
  'Your lucky number has been disconnected.\n',
  'You have a strong desire for a home and your family interests come first.\n',
  'Today is the first day of the rest of your life.\n',
  'Beware of low-flying butterflies.\n',
  'You will have good luck and overcome many hardships.\n',
  'Do not sweat the petty things and do not pet the sweaty things.\n',
  'A day for firm decisions!!!!!  Or is it?\n',
  'Your talents will be recognized and suitably rewarded.\n',
  'Someone whom you reject today, will reject you tomorrow.\n',
  'Never reveal your best argument.\n',
  'You will be attacked next Wednesday at 3:15 p.m. by six samurai sword wielding purple fish glued to Harley-Davidson motorcycles.\n',
];

/** `/usr/games/fortune`: one random cookie. */
export const fortune: Program = async (ctx) => {
  ctx.stdout.write(FORTUNES[Math.floor(Math.random() * FORTUNES.length)]!);
  return 0;
};

const g = (tags: string[], sizeBytes: number, script: string, config: TagGroup['config']): TagGroup => ({ tags, version: '16.04', sizeBytes, variant: { script }, config });

const SCRIPTS: Record<string, string> = { loop: FORTUNELOOP, args: FORTUNELOOP_ARGS, env: FORTUNELOOP_ENV };

export const luksaFortune: ImageFamily = {
  repository: 'docker.io/luksa/fortune',
  config: { entrypoint: ['/bin/sh', '-c', '/bin/fortuneloop.sh'], cmd: [], workingDir: '', env: [DEFAULT_PATH], exposedPorts: [] },
  groups: [
    g(['latest'], 47_813_342, 'loop', undefined),
    g(['args'], 47_813_575, 'args', { entrypoint: ['/bin/fortuneloop.sh'], cmd: ['10'] }),
    g(['env'], 47_813_551, 'env', { entrypoint: ['/bin/fortuneloop.sh'], cmd: [] }),
  ],
  files: (group) => ({
    ...debianUserland(XENIAL),
    '/usr/games/fortune': exe('fortune'),
    '/usr/share/games/fortunes': { kind: 'dir', mode: 0o755 },
    '/bin/fortuneloop.sh': { kind: 'file', mode: 0o755, data: SCRIPTS[group.variant!.script!]! },
  }),
  programs: { fortune },
};
