/**
 * The process's argv from the image config and the pod spec, as containerd's CRI plugin builds
 * it (after Docker): `command` replaces ENTRYPOINT and drops CMD; `args` alone replace CMD.
 */
export function resolveCommand(image: { entrypoint: string[]; cmd: string[] }, command?: string[], args?: string[]): string[] {
  let cmd = command?.length ? [...command] : [];
  let rest = args?.length ? [...args] : [];
  if (!cmd.length) {
    if (!rest.length) rest = [...image.cmd];
    if (!(image.entrypoint.length === 1 && image.entrypoint[0] === '')) cmd = [...image.entrypoint];
  }
  return [...cmd, ...rest];
}
