/** The /bin tools by command name; images choose which of them they ship (busybox applets, coreutils…). */
import type { Tool } from './common';
import * as files from './files';
import * as text from './text';
import * as sys from './system';
import * as net from './net';
import * as dnsTools from './dns';
import { tar } from './tar';
import { tr as trTool } from './tr';
import * as bytes from './bytes';
import { cp, mv } from './copy';
import { hexdump, od } from './dump';
import { stty } from './stty';

export type { Tool, ToolStyle } from './common';

export const TOOLS: Record<string, Tool> = {
  cat: files.cat,
  ls: files.ls,
  mkdir: files.mkdir,
  touch: files.touch,
  rm: files.rm,
  head: files.head,
  tail: files.tail,
  wc: files.wc,
  tee: files.tee,
  grep: text.grep,
  egrep: text.grep,
  sed: text.sed,
  sort: text.sort,
  uniq: text.uniq,
  tr: trTool,
  cut: text.cut,
  sleep: sys.sleep,
  date: sys.date,
  env: sys.env,
  printenv: sys.printenv,
  hostname: sys.hostname,
  ps: sys.ps,
  uname: sys.uname,
  whoami: sys.whoami,
  id: sys.id,
  seq: sys.seq,
  echo: sys.echo,
  printf: sys.printf,
  test: sys.test,
  '[': sys.test,
  true: sys.trueTool,
  false: sys.falseTool,
  pwd: sys.pwd,
  basename: sys.basename,
  dirname: sys.dirname,
  yes: sys.yes,
  nproc: sys.nproc,
  kill: sys.kill,
  netstat: sys.netstat,
  wget: net.wget,
  nslookup: dnsTools.nslookup,
  nc: net.nc,
  ip: net.ip,
  tar,
  stty,
  md5sum: bytes.checksum,
  sha1sum: bytes.checksum,
  sha256sum: bytes.checksum,
  sha512sum: bytes.checksum,
  base64: bytes.base64,
  dd: bytes.dd,
  cp,
  mv,
  od,
  hexdump,
};

/**
 * Tools no busybox has (so not in TOOLS, which busybox userlands link every name of): images whose
 * real image ships them add `exe('gnu')` files for them (curl in nginx's Debian images, ss with iproute2).
 */
export const EXTRA_TOOLS: Record<string, Tool> = {
  curl: net.curl,
  ss: net.ss,
  getent: dnsTools.getent,
  dig: dnsTools.dig,
  host: dnsTools.host,
};

/** Where each tool lives in a Debian/Ubuntu image (coreutils, grep, sed, procps, hostname …). */
export const GNU_LOCATIONS: Record<string, string> = {
  cat: '/usr/bin', ls: '/usr/bin', mkdir: '/usr/bin', touch: '/usr/bin', rm: '/usr/bin', head: '/usr/bin', tail: '/usr/bin',
  wc: '/usr/bin', tee: '/usr/bin', grep: '/usr/bin', egrep: '/usr/bin', sed: '/usr/bin', sort: '/usr/bin', uniq: '/usr/bin',
  tr: '/usr/bin', cut: '/usr/bin', sleep: '/usr/bin', date: '/usr/bin', env: '/usr/bin', printenv: '/usr/bin',
  hostname: '/usr/bin', uname: '/usr/bin', whoami: '/usr/bin', id: '/usr/bin', seq: '/usr/bin', echo: '/usr/bin',
  printf: '/usr/bin', test: '/usr/bin', '[': '/usr/bin', true: '/usr/bin', false: '/usr/bin', pwd: '/usr/bin',
  basename: '/usr/bin', dirname: '/usr/bin', yes: '/usr/bin', nproc: '/usr/bin', kill: '/usr/bin',
  tar: '/usr/bin', stty: '/usr/bin', md5sum: '/usr/bin', sha1sum: '/usr/bin', sha256sum: '/usr/bin', sha512sum: '/usr/bin',
  base64: '/usr/bin', dd: '/usr/bin', cp: '/usr/bin', mv: '/usr/bin',
  od: '/usr/bin',
};
