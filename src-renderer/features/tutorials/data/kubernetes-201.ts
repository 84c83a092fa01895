/** Seed 004: the Kubernetes 201 walkthrough (labels, Deployments, Services, health checks). */
import { all, deploymentGone, serviceGone, deploymentImage, deploymentReady, podGone, podRunning, serviceExposed } from '../checks';
import type { Tutorial } from '../types';

const POD_LABEL = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
`;

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  selector:
    matchLabels:
      app: nginx
  replicas: 2
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports:
        - containerPort: 80
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: nginx-service
spec:
  ports:
  - port: 8000 # the port that this service should serve on
    # the container on each pod to connect to, can be a name
    # (e.g. 'www') or a number (e.g. 80)
    targetPort: 80
    protocol: TCP
  # just like the selector in the deployment,
  # but this time it identifies the set of pods to load balance
  # traffic to.
  selector:
    app: nginx
`;

const HTTP_HEALTH = `apiVersion: v1
kind: Pod
metadata:
  name: pod-with-http-healthcheck
spec:
  containers:
  - name: nginx
    image: nginx
    livenessProbe:
      httpGet:
        path: /_status/healthz
        port: 80
      initialDelaySeconds: 30
      timeoutSeconds: 1
    ports:
    - containerPort: 80
`;

const OFFLINE = 'kubectl fetches https://k8s.io/… itself, and this machine may be offline: save the manifest shown here under that file name and create it from the file.';

export const kubernetes201: Tutorial = {
  id: 'kubernetes-201',
  title: 'Kubernetes 201: labels, Deployments, Services, health checks',
  source: 'Kubernetes 201 walkthrough (kubernetes.io)',
  summary: 'Organise pods with labels, manage them with a Deployment and update it, put a Service in front, and let the kubelet check their health.',
  namespace: 'default',
  steps: [
    {
      id: 'version',
      title: 'Check your kubectl',
      text: 'Make sure kubectl talks to this cluster: it prints its own version and the server\'s.',
      commands: ['kubectl version'],
    },
    {
      id: 'labelled-pod',
      title: 'Create a labelled pod',
      text: 'Labels are key-value pairs on any object. This nginx pod carries app=nginx; list pods by that label.',
      manifest: { file: 'pod-nginx-with-label.yaml', yaml: POD_LABEL },
      commands: ['kubectl create -f https://k8s.io/docs/user-guide/walkthrough/pod-nginx-with-label.yaml', 'kubectl get pods -l app=nginx'],
      note: OFFLINE,
      check: podRunning('nginx', { labels: { app: 'nginx' } }),
    },
    {
      id: 'delete-by-label',
      title: 'Delete by label',
      text: 'A label selector works for deletes too: every pod labelled app=nginx goes.',
      commands: ['kubectl delete pod -l app=nginx'],
      check: podGone('nginx'),
    },
    {
      id: 'deployment',
      title: 'Create an nginx Deployment',
      text: 'A Deployment is a pod template (a cookie-cutter) and a replica count; it creates and deletes pods to match, finding them by its label selector.',
      manifest: { file: 'deployment.yaml', yaml: deployment('nginx:1.7.9') },
      commands: ['kubectl create -f https://k8s.io/docs/user-guide/walkthrough/deployment.yaml', 'kubectl get deployment', 'kubectl get pods -l app=nginx'],
      note: OFFLINE,
      check: deploymentReady('nginx-deployment', 2),
    },
    {
      id: 'update',
      title: 'Upgrade nginx from 1.7.9 to 1.8',
      text: 'Apply the changed template. The Deployment creates pods with new names and deletes the old ones.',
      manifest: { file: 'deployment-update.yaml', yaml: deployment('nginx:1.8 # Update the version of nginx from 1.7.9 to 1.8') },
      commands: ['kubectl apply -f https://k8s.io/docs/user-guide/walkthrough//deployment-update.yaml', 'kubectl get pods -l app=nginx'],
      note: OFFLINE,
      check: deploymentImage('nginx-deployment', 'nginx:1.8'),
    },
    {
      id: 'service',
      title: 'Create a Service',
      text: 'One static IP for the set of pods labelled app=nginx: port 8000 of the Service leads to port 80 of a pod, load-balanced.',
      manifest: { file: 'service.yaml', yaml: SERVICE },
      commands: ['kubectl create -f https://k8s.io/docs/user-guide/walkthrough/service.yaml', 'kubectl get services'],
      note: OFFLINE,
      check: serviceExposed('nginx-service', { type: 'ClusterIP', port: 8000, targetPort: 80 }),
    },
    {
      id: 'busybox',
      title: 'Call the Service from a pod',
      text: 'Service IPs are reachable inside the cluster. Read the IP and port into variables, start a busybox pod with them, and wget the page from inside it.',
      commands: [
        "export SERVICE_IP=$(kubectl get service nginx-service -o go-template='{{.spec.clusterIP}}')",
        "export SERVICE_PORT=$(kubectl get service nginx-service -o go-template='{{(index .spec.ports 0).port}}')",
        'echo "$SERVICE_IP:$SERVICE_PORT"',
        'kubectl run busybox --image=busybox --restart=Never --tty -i --env "SERVICE_IP=$SERVICE_IP" --env "SERVICE_PORT=$SERVICE_PORT"',
        'wget -qO- http://$SERVICE_IP:$SERVICE_PORT',
        'exit',
        'kubectl delete pod busybox',
      ],
      note: 'The original also passes --generator=run-pod/v1; kubectl removed that flag (it now says "unknown flag"), so it is left out here.',
    },
    {
      id: 'cleanup',
      title: 'Delete the Service and the Deployment',
      text: 'Deleting the Deployment also deletes its ReplicaSets and pods.',
      commands: ['kubectl delete service nginx-service', 'kubectl delete deployment nginx-deployment'],
      check: all(serviceGone('nginx-service'), deploymentGone('nginx-deployment')),
    },
    {
      id: 'health',
      title: 'Add an HTTP health check',
      text: 'A livenessProbe lets the kubelet check the application itself, not just the process. This one GETs /_status/healthz after a 30 s grace period; nginx has no such page, so the probe fails and the kubelet restarts the container.',
      manifest: { file: 'pod-with-http-healthcheck.yaml', yaml: HTTP_HEALTH },
      commands: ['kubectl create -f pod-with-http-healthcheck.yaml', 'kubectl get pods'],
      check: podRunning('pod-with-http-healthcheck'),
    },
  ],
};
