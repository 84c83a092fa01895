/**
 * stty (busybox applet / coreutils): `size` (rows and columns the exec client last sent with a
 * resize), `-a`/no operand (settings of a sane pty), settings such as `raw`, `-echo`, `sane`,
 * `cols N`/`rows N` accepted. Standard input must be the process's terminal, else stty fails as
 * upstream does (ENOTTY: busybox on musl/uClibc `Not a tty`, coreutils on glibc quoted).
 */
import type { Tool } from './common';

const SPEED = 38400;

const SETTINGS = new Set([
  'raw', '-raw', 'cooked', '-cooked', 'sane', 'echo', '-echo', 'icanon', '-icanon', 'isig', '-isig', 'onlcr', '-onlcr',
  'icrnl', '-icrnl', 'opost', '-opost', 'echoe', '-echoe', 'echok', '-echok', 'echoctl', '-echoctl', 'echoke', '-echoke',
  'ixon', '-ixon', 'cbreak', '-cbreak', 'cs8', 'parenb', '-parenb', 'ixany', '-ixany', 'iexten', '-iexten', 'crtscts', '-crtscts',
]);

const CHAR_SETTINGS = new Set(['intr', 'quit', 'erase', 'kill', 'eof', 'eol', 'eol2', 'swtch', 'start', 'stop', 'susp', 'rprnt', 'werase', 'lnext', 'discard', 'min', 'time']);

export const stty: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  const term = ctx.terminal;
  if (!term || ctx.stdin !== term.input) {
    ctx.stderr.write(style === 'busybox' ? 'stty: standard input: Not a tty\n' : "stty: 'standard input': Inappropriate ioctl for device\n");
    return 1;
  }
  if (!args.length) {
    ctx.stdout.write(style === 'busybox' ? `speed ${SPEED} baud;\nline = 0;\n-brkint -imaxbel\n` : `speed ${SPEED} baud; line = 0;\n-brkint -imaxbel iutf8\n`);
    return 0;
  }
  if (args[0] === 'size') {
    ctx.stdout.write(`${term.rows} ${term.cols}\n`);
    return 0;
  }
  if (args[0] === 'speed') {
    ctx.stdout.write(`${SPEED}\n`);
    return 0;
  }
  if (args[0] === '-a' || args[0] === '--all') {
    const rc = `rows ${term.rows}; columns ${term.cols};`;
    ctx.stdout.write(
      style === 'busybox'
        ? `speed ${SPEED} baud; ${rc} line = 0;\nintr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>; eol2 = <undef>; swtch = <undef>; start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R; werase = ^W; lnext = ^V; flush = ^O; min = 1; time = 0;\n-parenb -parodd cs8 -hupcl -cstopb cread -clocal -crtscts\n-ignbrk -brkint -ignpar -parmrk -inpck -istrip -inlcr -igncr icrnl ixon -ixoff -iuclc -ixany -imaxbel -iutf8\nopost -olcuc -ocrnl onlcr -onocr -onlret -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0\nisig icanon iexten echo echoe echok -echonl -noflsh -xcase -tostop -echoprt echoctl echoke\n`
        : `speed ${SPEED} baud; ${rc} line = 0;\nintr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D; eol = <undef>;\neol2 = <undef>; swtch = <undef>; start = ^Q; stop = ^S; susp = ^Z; rprnt = ^R;\nwerase = ^W; lnext = ^V; discard = ^O; min = 1; time = 0;\n-parenb -parodd -cmspar cs8 -hupcl -cstopb cread -clocal -crtscts\n-ignbrk -brkint -ignpar -parmrk -inpck -istrip -inlcr -igncr icrnl ixon -ixoff\n-iuclc -ixany -imaxbel iutf8\nopost -olcuc -ocrnl onlcr -onocr -onlret -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0\nisig icanon iexten echo echoe echok -echonl -noflsh -xcase -tostop -echoprt\nechoctl echoke -flusho -extproc\n`,
    );
    return 0;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'cols' || a === 'columns' || a === 'rows') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) {
        ctx.stderr.write(v === undefined ? `stty: missing argument to '${a}'\n` : `stty: invalid integer argument: '${v}'\n`);
        return 1;
      }
      if (a === 'rows') term.rows = Number(v);
      else term.cols = Number(v);
      continue;
    }
    if (CHAR_SETTINGS.has(a)) {
      if (args[++i] === undefined) {
        ctx.stderr.write(`stty: missing argument to '${a}'\n`);
        return 1;
      }
      continue;
    }
    if (SETTINGS.has(a) || /^\d+$/.test(a)) continue;
    ctx.stderr.write(style === 'busybox' ? `stty: invalid argument '${a}'\n` : `stty: invalid argument '${a}'\nTry 'stty --help' for more information.\n`);
    return 1;
  }
  return 0;
};
