/**
 * Program ids (the `program` of an executable file) → in-process programs: the busybox
 * multi-call binary, the shells, GNU tools, plus each image family's own programs.
 */
import type { Program } from './program';
import { shellProgram } from './shell/program';
import { EXTRA_TOOLS, TOOLS } from './tools';
import type { ImageFamily } from './images/types';
import { basename } from './vfs';

const ash = shellProgram('ash');

const busybox: Program = async (ctx) => {
  let argv = ctx.argv;
  let name = basename(argv[0]!);
  if (name === 'busybox') {
    if (argv.length === 1 || argv[1] === '--help') {
      const v = ctx.host.fs.stat('/etc/busybox-version') ? ctx.host.fs.readFile('/etc/busybox-version').trim() : '1.37.0';
      ctx.stdout.write(`BusyBox v${v} (2024-09-26 21:31:42 UTC) multi-call binary.\nBusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\nUsage: busybox [function [arguments]...]\n   or: busybox --list[-full]\n   or: function [arguments]...\n`);
      return 0;
    }
    argv = argv.slice(1);
    name = basename(argv[0]!);
  }
  const sub = { ...ctx, argv };
  if (name === 'sh' || name === 'ash') return ash(sub);
  const tool = TOOLS[name];
  if (!tool) {
    ctx.stderr.write(`${name}: applet not found\n`);
    return 127;
  }
  return tool(sub, 'busybox');
};

const gnu: Program = async (ctx) => {
  const name = basename(ctx.argv[0]!);
  const tool = TOOLS[name] ?? EXTRA_TOOLS[name];
  if (!tool) {
    ctx.stderr.write(`${name}: command not found\n`);
    return 127;
  }
  return tool(ctx, 'gnu');
};

export function programRegistry(families: ImageFamily[]): Map<string, Program> {
  const m = new Map<string, Program>([
    ['busybox', busybox],
    ['dash', shellProgram('dash')],
    ['bash', shellProgram('bash')],
    ['gnu', gnu],
  ]);
  for (const f of families) for (const [id, p] of Object.entries(f.programs ?? {})) m.set(id, p);
  return m;
}
