import { describe, expect, it } from 'vitest';
import { resolveCommand } from '../../../src-main/runtime/command';

const nginx = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };
const busybox = { entrypoint: [], cmd: ['sh'] };
const kubia = { entrypoint: ['node', 'app.js'], cmd: [] };

describe('command/args resolution (containerd CRI, after Docker)', () => {
  it.each([
    ['image defaults: ENTRYPOINT + CMD', nginx, undefined, undefined, ['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']],
    ['command replaces ENTRYPOINT and drops CMD', nginx, ['nginx'], undefined, ['nginx']],
    ['args alone replace CMD, ENTRYPOINT stays', nginx, undefined, ['sh', '-c', 'echo hi'], ['/docker-entrypoint.sh', 'sh', '-c', 'echo hi']],
    ['command and args', nginx, ['sh', '-c'], ['echo hi'], ['sh', '-c', 'echo hi']],
    ['no ENTRYPOINT: CMD only', busybox, undefined, undefined, ['sh']],
    ['no ENTRYPOINT: args become the whole argv', busybox, undefined, ['sleep', '3600'], ['sleep', '3600']],
    ['no CMD: ENTRYPOINT only', kubia, undefined, undefined, ['node', 'app.js']],
    ['args after an ENTRYPOINT with no CMD', kubia, undefined, ['--port', '9090'], ['node', 'app.js', '--port', '9090']],
    ['an empty command list counts as unset', nginx, [], ['x'], ['/docker-entrypoint.sh', 'x']],
    ['an empty args list counts as unset', busybox, undefined, [], ['sh']],
    ['ENTRYPOINT [""] is cleared', { entrypoint: [''], cmd: ['run'] }, undefined, undefined, ['run']],
    ['nothing at all', { entrypoint: [], cmd: [] }, undefined, undefined, []],
  ])('%s', (_name, image, command, args, argv) => {
    expect(resolveCommand(image, command, args)).toEqual(argv);
  });
});
