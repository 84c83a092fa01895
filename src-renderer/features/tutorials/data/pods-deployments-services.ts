/** Seed 003: "Exploring Kubernetes, Part 2: Pods, Deployments, and Services". */
import { all, containersOf, deploymentReady, deploymentWhere, labelledPodsRunning, podRunning, serviceExposed } from '../checks';
import type { Tutorial } from '../types';

const TEST_POD = `apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  containers:
  - name: web
    image: nginx:latest
`;

const TEST_POD_SHARED = `apiVersion: v1
kind: Pod
metadata:
  name: test-pod
spec:
  volumes:
  - name: shared-directory
    emptyDir: {}
  containers:
  - name: web
    image: nginx:latest
    volumeMounts:
    - name: shared-directory
      mountPath: /var/tmp/shared
  - name: sleep
    image: busybox:latest
    args:
    - "sleep"
    - "99999999999"
    volumeMounts:
    - name: shared-directory
      mountPath: /var/tmp/shared
`;

const WEBAPP_ENV = `apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
  - name: web
    image: nginx:latest
    env:
    - name: fromKubernetes
      value: "this value"
`;

const LABELLED = `apiVersion: v1
kind: Pod
metadata:
  name: webapp
  labels:
    app: nginx
    tier: web
spec:
  containers:
  - name: web
    image: nginx:latest
---
apiVersion: v1
kind: Pod
metadata:
  name: api-server
  labels:
    app: nginx
    tier: api
spec:
  containers:
  - name: web
    image: nginx:latest
`;

const ANNOTATED = `apiVersion: v1
kind: Pod
metadata:
  annotations:
    note: |
            this is a really long bit of text.
            This is a useful place to put a description.
            But anyways, yeah. Nginx or something
  name: test-pod
spec:
  containers:
  - name: web
    image: nginx:latest
`;

const NODEPORT = `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30080
  selector:
    app: nginx
    tier: web
`;

const deployment = (probe: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "test-deployment"
  labels:
   type: "custom"
spec:
  replicas: 3
  selector:
    matchLabels:
      app: "nginx"
  template:
    metadata:
      labels:
        app: "nginx"
    spec:
      containers:
      - name: "web"
        image: "nginx:latest"${
          probe
            ? `
        livenessProbe:
          httpGet:
            path: "/"
            port: 80`
            : ''
        }
`;

export const podsDeploymentsServices: Tutorial = {
  id: 'pods-deployments-services',
  title: 'Pods, Deployments and Services',
  source: 'Exploring Kubernetes, Part 2: Pods, Deployments, and Services',
  summary: 'Build pods by hand (shared volumes, environment, labels, annotations), reach them through a NodePort, then run them as a Deployment with a liveness probe.',
  namespace: 'default',
  steps: [
    {
      id: 'test-pod',
      title: 'Create a single-container pod',
      text: 'apiVersion, kind, metadata.name and spec.containers are all a pod needs. Create it and wait for Running; -o wide shows its IP and node.',
      manifest: { file: 'test-pod.yml', yaml: TEST_POD },
      commands: ['kubectl create -f test-pod.yml', 'kubectl get pods -o wide'],
      check: podRunning('test-pod'),
    },
    {
      id: 'curl-pod',
      title: 'Fetch the page from the pod\'s IP',
      text: 'The pod IP is reachable from the cluster\'s nodes and pods, not from your machine. Run curl inside a pod (nginx:latest ships curl) to see the nginx welcome page.',
      commands: ['curl -s http://10.42.0.1 | head'],
      note: 'Use the IP kubectl get pods -o wide printed, e.g. kubectl exec test-pod -- curl -s http://<pod IP>.',
    },
    {
      id: 'exec',
      title: 'Open a shell in the container',
      text: 'kubectl exec finds the pod\'s node and runs a process next to nginx in its container. ps ax shows nginx\'s master and worker; netstat -tlpn shows it listening on port 80.',
      commands: ['kubectl exec -it test-pod /bin/bash'],
      note: 'Newer kubectl wants -- before the command: kubectl exec -it test-pod -- /bin/bash.',
      ui: { label: 'Open a terminal in test-pod', to: '/exec/default/test-pod' },
    },
    {
      id: 'shared',
      title: 'Share a directory between two containers',
      text: 'An emptyDir volume mounted into both containers of one pod. A pod\'s containers cannot change, so delete the pod and create it again from the new file.',
      manifest: { file: 'test-pod.yml', yaml: TEST_POD_SHARED },
      commands: ['kubectl delete -f test-pod.yml', 'kubectl create -f test-pod.yml'],
      check: podRunning('test-pod', { containers: 2 }),
    },
    {
      id: 'shared-file',
      title: 'Write in one container, read in the other',
      text: 'Write a file under /var/tmp/shared from the web container, then read it from the sleep container.',
      commands: ['kubectl exec -it test-pod -c web /bin/bash', 'echo Hello From Beyond The Wall > /var/tmp/shared/test', 'kubectl exec -it test-pod -c sleep /bin/sh', 'cat /var/tmp/shared/test'],
    },
    {
      id: 'env',
      title: 'Pass an environment variable',
      text: 'The env list of a container sets variables its processes see. Create the webapp pod and print the variable from a shell inside it.',
      manifest: { file: 'webapp.yml', yaml: WEBAPP_ENV },
      commands: ['kubectl create -f webapp.yml', 'kubectl exec -it webapp /bin/bash', 'echo $fromKubernetes'],
      note: 'The file name webapp.yml is ours; the original only shows the manifest.',
      check: podRunning('webapp', { pred: (p) => containersOf(p).some((c) => c.env?.some((e) => e.name === 'fromKubernetes')) }),
    },
    {
      id: 'labels',
      title: 'Label pods and select by label',
      text: 'Two pods labelled app=nginx, one tier=web and one tier=api. -l filters on labels; several selectors must all match. The previous webapp pod goes first: a name is unique in its namespace.',
      manifest: { file: 'pods-labels.yml', yaml: LABELLED },
      commands: ['kubectl delete pod webapp', 'kubectl create -f pods-labels.yml', 'kubectl get pods -o wide -l app=nginx', 'kubectl get pods -o wide -l app=nginx,tier=web', 'kubectl get pods -o wide -l app=nginx,tier=api'],
      check: all(labelledPodsRunning({ app: 'nginx', tier: 'web' }, 1), labelledPodsRunning({ app: 'nginx', tier: 'api' }, 1)),
    },
    {
      id: 'annotations',
      title: 'Annotate a pod',
      text: 'Annotations hold longer, non-identifying text. Re-create test-pod with a note annotation and find it in describe\'s output.',
      manifest: { file: 'test-pod.yml', yaml: ANNOTATED },
      commands: ['kubectl delete -f test-pod.yml', 'kubectl create -f test-pod.yml', 'kubectl describe pod test-pod | head'],
      check: podRunning('test-pod', { pred: (p) => !!p.metadata.annotations?.note }),
    },
    {
      id: 'nodeport',
      title: 'Expose the web pod on node port 30080',
      text: 'The Service selects app=nginx, tier=web and sends port 80 to the pod; nodePort pins the node port to 30080 instead of a random one.',
      manifest: { file: 'service-nodeport.yml', yaml: NODEPORT },
      commands: ['kubectl create -f service-nodeport.yml', 'kubectl describe service nginx'],
      check: serviceExposed('nginx', { type: 'NodePort', port: 80, nodePort: 30080 }),
    },
    {
      id: 'curl-nodeport',
      title: 'Reach the node port',
      text: 'Every node answers on 30080 and forwards to the pod, wherever it runs. Here the nodes\' ports are on 127.0.0.1.',
      commands: ['curl http://127.0.0.1:30080 | head'],
      note: 'The original calls a node by name (kube-compute01:30080).',
    },
    {
      id: 'deployment',
      title: 'Run nginx as a Deployment',
      text: 'The pod template is embedded in the Deployment, which keeps three replicas of it running.',
      manifest: { file: 'test-deployment.yml', yaml: deployment(false) },
      commands: ['kubectl apply -f test-deployment.yml'],
      check: deploymentReady('test-deployment', 3),
    },
    {
      id: 'liveness',
      title: 'Add a liveness probe',
      text: 'The kubelet now GETs / on port 80 every 10 seconds; after three failures in a row it restarts the container, and kubectl get events shows Unhealthy and Killing.',
      manifest: { file: 'test-deployment.yml', yaml: deployment(true) },
      commands: ['kubectl apply -f test-deployment.yml', 'kubectl get events'],
      check: deploymentWhere('test-deployment', 'test-deployment has an HTTP liveness probe on port 80', (d) => containersOf(d).some((c) => String(c.livenessProbe?.httpGet?.port) === '80')),
    },
  ],
};
