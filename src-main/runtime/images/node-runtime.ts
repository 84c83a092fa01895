/**
 * `node <script>` for the images built `FROM node:…` (luksa/kubia and its book siblings, the
 * kubernetes-bootcamp app, getting-started-k8s): the app registered for the script's exact text
 * runs (its console.log lines, its HTTP answers); an unknown script prints its literal
 * console.log lines and listens where it says `listen(<port>)`, silently. A missing script fails
 * with node's own "Cannot find module" error (the node 7 or node 12 wording, by NODE_VERSION).
 */
import type { Program, ProcessContext } from '../program';
import { resolvePath } from '../vfs';

/** A node app: what runs when `node` is given this exact script text. */
export type NodeApp = (ctx: ProcessContext, script: string) => Promise<number>;

const APPS = new Map<string, NodeApp>();

/** Registers the app that runs for a script with exactly this text. */
export function registerNodeApp(source: string, app: NodeApp): void {
  APPS.set(source, app);
}

/** Node's error for a missing main module, in the wording of the image's node version. */
function cannotFindModule(version: string, path: string): string {
  const major = Number(version.split('.')[0]);
  if (major < 8) {
    return `module.js:471\n    throw err;\n    ^\n\nError: Cannot find module '${path}'\n    at Function.Module._resolveFilename (module.js:469:15)\n    at Function.Module._load (module.js:417:25)\n    at Module.runMain (module.js:604:10)\n    at run (bootstrap_node.js:389:7)\n    at startup (bootstrap_node.js:149:9)\n    at bootstrap_node.js:502:3\n`;
  }
  return `internal/modules/cjs/loader.js:968\n  throw err;\n  ^\n\nError: Cannot find module '${path}'\n    at Function.Module._resolveFilename (internal/modules/cjs/loader.js:965:15)\n    at Function.Module._load (internal/modules/cjs/loader.js:841:27)\n    at Function.executeUserEntryPoint [as runMain] (internal/modules/run_main.js:71:12)\n    at internal/main/run_main_module.js:17:47 {\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n`;
}

export const nodeProgram: Program = async (ctx) => {
  const version = ctx.env.get('NODE_VERSION') ?? '7.10.1';
  const script = ctx.argv[1];
  if (script === '--version' || script === '-v') {
    ctx.stdout.write(`v${version}\n`);
    return 0;
  }
  // the REPL, reading from a closed stdin, ends at once
  if (script === undefined) return 0;
  const path = resolvePath(ctx.cwd, script);
  if (ctx.host.fs.stat(path)?.kind !== 'file') {
    ctx.stderr.write(cannotFindModule(version, path));
    return 1;
  }
  const text = ctx.host.fs.readFile(path);
  const app = APPS.get(text);
  if (app) return app(ctx, text);
  return unknownScript(ctx, text);
};

/** A script we do not know: its literal console.log lines, then a silent listener if it has one. */
async function unknownScript(ctx: ProcessContext, text: string): Promise<number> {
  ctx.host.allocate(9_800_000);
  for (const m of text.matchAll(/console\.log\((["'])((?:(?!\1).)*)\1\)/g)) ctx.stdout.write(m[2] + '\n');
  const port = /listen\((\d+)\)/.exec(text)?.[1];
  if (!port) return 0;
  ctx.host.listen(Number(port), 'TCP', { address: '::', pid: ctx.pid });
  return ctx.host.forever();
}
