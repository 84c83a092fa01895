/** Seed 002: "Kubernetes Getting Started" (pods, Services, Deployments, self-healing, scaling, rolling updates, rollbacks). */
import { deploymentImage, deploymentPodReplaced, deploymentReady, podRunning, replicaSetsOf, serviceExposed } from '../checks';
import type { Tutorial } from '../types';

const POD = `# Simple Kubernetes Pod to deploy the app contained in adritasharma/getting-started-k8s:1.0

apiVersion: v1
kind: Pod
metadata:
  name: hello-pod
  labels:
    app: web
spec:
  containers:
    - name: web-ctr
      image: adritasharma/getting-started-k8s:1.0
      ports:
        - containerPort: 8080
`;

const deploy = (replicas: number) => `# Simple deployment used to deploy and manage the app in nigelpoulton/getting-started-k8s:1.0
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-deploy
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello-pod
        image: nigelpoulton/getting-started-k8s:1.0
        imagePullPolicy: Always
        ports:
        - containerPort: 8080
`;

const ROLLING = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-deploy
  labels:
    app: web
spec:
  selector:
    matchLabels:
      app: web
  replicas: 10
  minReadySeconds: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello-pod
        image: nigelpoulton/getting-started-k8s:2.0
        imagePullPolicy: Always
        ports:
        - containerPort: 8080
`;

const SVC_LB = `apiVersion: v1
kind: Service
metadata:
  name: ps-lb
spec:
  type: LoadBalancer
  ports:
  - port: 80
    targetPort: 8080
  selector:
    app: web
`;

export const gettingStarted: Tutorial = {
  id: 'getting-started',
  title: 'Kubernetes getting started',
  source: 'Kubernetes Getting Started (pods, services, deployments)',
  summary: 'A pod from a manifest, a NodePort Service, then a Deployment: self-healing, scaling, a rolling update and a rollback.',
  namespace: 'default',
  steps: [
    {
      id: 'pod',
      title: 'Deploy a pod from a manifest',
      text: 'kubectl posts the file to the API server, which validates it and stores the Pod; the scheduler assigns it to a node and that node\'s kubelet starts its container.',
      manifest: { file: 'pod.yml', yaml: POD },
      commands: ['kubectl apply -f pod.yml', 'kubectl get pods'],
      check: podRunning('hello-pod'),
    },
    {
      id: 'expose-pod',
      title: 'Expose the pod imperatively',
      text: 'A NodePort Service selects the pod by its labels and opens a port on every node. Its name, hello-svc, is also registered in cluster DNS.',
      commands: ['kubectl expose pod hello-pod --name=hello-svc --target-port=8080 --type=NodePort', 'kubectl get svc'],
      note: 'The original text types --targer-port, which kubectl rejects as an unknown flag. The node port answers on http://127.0.0.1:<nodePort> here.',
      check: serviceExposed('hello-svc', { type: 'NodePort', targetPort: 8080 }),
    },
    {
      id: 'deploy',
      title: 'Create a Deployment of five replicas',
      text: 'The Deployment\'s selector (app=web) must match its pod template\'s labels: that is how it knows which pods it manages for updates, rollbacks and scaling.',
      manifest: { file: 'deploy.yml', yaml: deploy(5) },
      commands: ['kubectl apply -f deploy.yml', 'kubectl get pods --show-labels'],
      check: deploymentReady('web-deploy', 5),
    },
    {
      id: 'deploy-rs',
      title: 'Look at the Deployment and its ReplicaSet',
      text: 'The Deployment delegates to a ReplicaSet, which keeps the observed number of pods equal to the desired one.',
      commands: ['kubectl get deploy', 'kubectl get rs'],
      ui: { label: 'Open ReplicaSets', to: '/r/apps/v1/replicasets' },
    },
    {
      id: 'lb',
      title: 'Put a load balancer in front',
      text: 'A LoadBalancer Service selecting app=web. Labels are dynamic: every pod with that label, now or later, becomes one of its endpoints.',
      manifest: { file: 'svc-lb.yml', yaml: SVC_LB },
      commands: ['kubectl apply -f svc-lb.yml', 'kubectl get svc', 'kubectl describe svc ps-lb', 'kubectl describe ep ps-lb'],
      note: 'The original shows this manifest only as a picture; this one matches its description (port 80 to the pods\' 8080).',
      check: serviceExposed('ps-lb', { type: 'LoadBalancer', port: 80 }),
    },
    {
      id: 'self-heal',
      title: 'Delete a pod and watch it come back',
      text: 'Delete any one of the web-deploy pods. The ReplicaSet sees four where five are wanted and creates a new pod at once: you will find one much younger than the others.',
      commands: ['kubectl delete pod <one of the web-deploy pods>', 'kubectl get pods'],
      ui: { label: 'Open Pods (select one, Delete)', to: '/r/core/v1/pods' },
      check: deploymentPodReplaced('web-deploy'),
    },
    {
      id: 'scale',
      title: 'Scale to ten',
      text: 'Change replicas to 10 in deploy.yml and apply it again: the declared state changed, so five more pods are created.',
      manifest: { file: 'deploy.yml', yaml: deploy(10) },
      commands: ['kubectl apply -f deploy.yml', 'kubectl get pods'],
      check: deploymentReady('web-deploy', 10),
    },
    {
      id: 'rolling',
      title: 'Roll out version 2.0',
      text: 'With maxSurge 1 and maxUnavailable 0, Kubernetes adds one new pod, waits until it has been ready for minReadySeconds (5 s), removes one old pod, and repeats ten times.',
      manifest: { file: 'deploy.yml', yaml: ROLLING },
      commands: ['kubectl apply -f deploy.yml'],
      check: deploymentImage('web-deploy', 'nigelpoulton/getting-started-k8s:2.0'),
    },
    {
      id: 'rs',
      title: 'See the old ReplicaSet kept',
      text: 'The new ReplicaSet runs the ten pods; the old one is scaled to zero but stays, which is what makes a rollback quick.',
      commands: ['kubectl get rs'],
      check: replicaSetsOf('web-deploy', 2),
    },
    {
      id: 'rollback',
      title: 'Roll back to revision 1',
      text: 'Undo to the first revision: the pods are replaced by version 1.0 pods, one at a time, by the same rolling update.',
      commands: ['kubectl rollout undo deploy web-deploy --to-revision=1', 'kubectl get rs'],
      check: deploymentImage('web-deploy', 'nigelpoulton/getting-started-k8s:1.0', 3),
    },
  ],
};
