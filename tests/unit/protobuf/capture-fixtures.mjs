#!/usr/bin/env node
/**
 * Records tests/unit/protobuf/fixtures.json: for each kubectl command, the protobuf request body
 * kubectl 1.33 sends and the JSON body kubectl 1.27 sends for the same command. The unit test
 * checks that decoding the first gives the second. Not run by the tests (they need no cluster).
 *
 *   node tests/unit/protobuf/capture-fixtures.mjs <kubeconfig>
 *
 * against a running `kubesim serve` with a deployment `kubia` and a cronjob `cj` in `default`
 * (commands run with --dry-run=server, so nothing is created;
 * the server may answer with an error, only the request body matters). kubectl's -v=9 hex dump
 * stops at 2 KiB, so bodies must stay under that (hence the small EC certificate).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const kubeconfig = process.argv[2];
if (!kubeconfig) {
  console.error('usage: node tests/unit/protobuf/capture-fixtures.mjs <kubeconfig>');
  process.exit(2);
}
const BIN = '/usr/lib/google-cloud-sdk/bin';
const cache = mkdtempSync(join(tmpdir(), 'pbcap-'));

export const COMMANDS = [
  'create deployment kubia --image=luksa/kubia:1.0',
  'create deployment web --image=nginx:1.25 --image=redis --replicas=0 --port=80',
  'create configmap c1 --from-literal=a=b --from-literal=empty=',
  'create secret generic s --from-literal=a=b --from-literal=utf=\u00e9t\u00e9 --from-file=bin=BIN',
  'create secret tls t --cert=CERT --key=KEY',
  'create secret docker-registry d --docker-username=u --docker-password=p --docker-server=r.example',
  'create namespace n1',
  'create service nodeport x --tcp=80:8080',
  'create service clusterip y --tcp=5678:8080 --tcp=443',
  'create service loadbalancer lb --tcp=80:http',
  'create service externalname ext --external-name=example.com',
  'create job j --image=busybox -- echo hi',
  'create cronjob cj --image=busybox --schedule=*/1 * * * * -- date',
  'create role r --verb=get,list --resource=pods,deployments.apps --resource-name=a',
  'create rolebinding rb --role=r --user=alice --serviceaccount=default:sa --group=g',
  'create clusterrole cr --verb=get --non-resource-url=/healthz',
  'create clusterrole agg --aggregation-rule=rbac.example.com/aggregate=true',
  'create clusterrolebinding crb --clusterrole=cr --user=bob',
  'create poddisruptionbudget pdb --selector=app=kubia --min-available=50%',
  'create poddisruptionbudget pdb2 --selector=app=kubia --max-unavailable=1',
  'create ingress ing --rule=foo.com/bar=svc1:8080,tls=my-cert --class=nginx --annotation=a=b',
  'create ingress ing2 --default-backend=defaultsvc:http --rule=/path*=svc:8080',
  'create quota q --hard=cpu=1,memory=1G,pods=2,requests.cpu=500m --scopes=BestEffort',
  'create priorityclass high --value=1000 --description=important --preemption-policy=Never',
  'create serviceaccount sa',
  'create job from-cj --from=cronjob/cj',
  // No --dry-run for these two (marked with !): the body is all that matters, not the answer.
  '!create token default --duration=10m --audience=a --audience=b',
  '!auth can-i list deployments.apps --subresource=scale -n kube-system',
];

function run(bin, args) {
  const dash = args.indexOf('--');
  const noDryRun = args[0].startsWith('!');
  if (noDryRun) args = [args[0].slice(1), ...args.slice(1)];
  const flags = noDryRun ? ['-v=9'] : ['--dry-run=server', '-v=9'];
  const full = dash < 0 ? [...args, ...flags] : [...args.slice(0, dash), ...flags, ...args.slice(dash)];
  const r = spawnSync(bin, ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...full], { encoding: 'latin1' });
  return r.stderr + r.stdout;
}

/** Splits a command line; `--from-literal=x=\u00ff` stays one argument. */
function argv(cmd) {
  const parts = cmd.split(' ');
  // The cron schedule is the one argument with spaces.
  const i = parts.findIndex((p) => p.startsWith('--schedule='));
  if (i >= 0) parts.splice(i, 5, parts.slice(i, i + 5).join(' '));
  return parts;
}

function protobufBody(log) {
  const m = /"Request Body" body=<\n((?:\t[0-9a-f]{8} .*\n)+)/.exec(log);
  if (!m) return undefined;
  const hex = [];
  for (const line of m[1].split('\n')) {
    const h = /^\t[0-9a-f]{8}\s+((?:[0-9a-f]{2}\s+)+)/.exec(line + ' ');
    if (h) hex.push(...h[1].trim().split(/\s+/));
  }
  return hex.join('');
}

function jsonBody(log) {
  const m = /Request Body: (\{.*\})\n/.exec(log);
  return m ? JSON.parse(Buffer.from(m[1], 'latin1').toString('utf8')) : undefined;
}

/**
 * Where kubectl 1.33 itself builds a different object than 1.27 did, the 1.27 JSON is adjusted
 * (and the fixture says so). `autoscale` is left out: 1.27 posts autoscaling/v1, 1.33 autoscaling/v2.
 */
const VERSION_DIFFERENCES = {
  'create job from-cj --from=cronjob/cj': {
    note: 'kubectl 1.33 marks the owner reference to the CronJob as the controller; 1.27 did not',
    apply: (o) => {
      o.metadata.ownerReferences[0].controller = true;
    },
  },
};

const out = [];
const certDir = mkdtempSync(join(tmpdir(), 'pbcert-'));
spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=x', '-keyout', join(certDir, 'key'), '-out', join(certDir, 'cert')]);
writeFileSync(join(certDir, 'bin'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10]));
for (const cmd of COMMANDS) {
  const args = argv(cmd).map((a) => a.replace('CERT', join(certDir, 'cert')).replace('KEY', join(certDir, 'key')).replace('=BIN', `=${join(certDir, 'bin')}`));
  const pb = protobufBody(run(`${BIN}/kubectl.1.33`, args));
  const json = jsonBody(run(`${BIN}/kubectl.1.27`, args));
  console.log(`${pb ? 'protobuf' : 'NO protobuf'}\t${json ? 'json' : 'NO json'}\t${cmd}`);
  const diff = VERSION_DIFFERENCES[cmd];
  if (json && diff) diff.apply(json);
  if (pb && json) out.push({ command: cmd, ...(diff ? { note: diff.note } : {}), protobuf: pb, json });
}
const file = join(dirname(fileURLToPath(import.meta.url)), 'fixtures.json');
writeFileSync(file, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${out.length} fixtures to ${file}`);
