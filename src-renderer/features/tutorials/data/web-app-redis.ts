/** Seed 001: "A complete Kubernetes tutorial, part II: deploying an application" (nginx → Go → redis). */
import { all, deploymentExists, deploymentPodsRunning, deploymentReady, deploymentWhere, pvcPhase, serviceExposed, statefulSetReady } from '../checks';
import type { Tutorial } from '../types';
import { containersOf } from '../checks';

const FRONTEND_FIRST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - args: ['nginx', '-g', 'daemon off;']
        image: c1524db4f1/kubernetes-tutorial-frontend:v0.2.0
        imagePullPolicy: Always
        name: nginx
        ports:
        - containerPort: 80
      restartPolicy: Always
`;

const FRONTEND_FINAL = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app: web
      service: nginx
  template:
    metadata:
      labels:
        app: web
        service: nginx
    spec:
      containers:
      - args: ['nginx', '-g', 'daemon off;']
        image: c1524db4f1/kubernetes-tutorial-frontend:v0.2.0
        imagePullPolicy: Always
        name: nginx
        ports:
        - containerPort: 80
      restartPolicy: Always
`;

const BACKEND = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: backend
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app: web
      service: app
  template:
    metadata:
      labels:
        app: web
        service: app
    spec:
      containers:
      - args: ['/bin/app']
        image: c1524db4f1/kubernetes-tutorial-backend:v0.3.0
        env:
          - name: REDIS_URL
            value: redis:6379
        imagePullPolicy: Always
        name: app
        ports:
        - containerPort: 1323
      restartPolicy: Always
`;

const NGINX_SVC = `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  type: LoadBalancer
  ports:
  - name: "80"
    port: 80
    targetPort: 80
  selector:
    app: web
    service: nginx
`;

const APP_SVC = `apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  type: ClusterIP
  ports:
  - name: "1323"
    port: 1323
    targetPort: 1323
  selector:
    app: web
    service: app
`;

const PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  labels:
    service: redis
  name: redis-data
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 10Gi
`;

const STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  selector:
    matchLabels:
      service: redis
  serviceName: redis
  replicas: 1
  template:
    metadata:
      labels:
        service: redis
    spec:
      containers:
      - name: redis
        image: redis:6.0.3-alpine
        args: ["--appendonly", "no", "--save", "300", "1", "--save", "30", "1000"]
        ports:
          - containerPort: 6379
            name: redis
        volumeMounts:
        - mountPath: /data
          name: redis-data
      volumes:
      - name: redis-data
        persistentVolumeClaim:
          claimName: redis-data
`;

const REDIS_SVC = `apiVersion: v1
kind: Service
metadata:
  name: redis
  labels:
    service: redis
spec:
  type: ClusterIP
  selector:
    service: redis
  ports:
  - port: 6379
    targetPort: 6379
`;

export const webAppRedis: Tutorial = {
  id: 'web-app-redis',
  title: 'A web app with nginx, Go and Redis',
  source: 'A complete Kubernetes tutorial, part II: deploying an application',
  summary: 'Deploy a three-tier app from manifests: nginx in front, a Go API behind it, Redis with a persistent volume, wired together by Services and cluster DNS.',
  namespace: 'default',
  steps: [
    {
      id: 'frontend',
      title: 'Deploy the nginx frontend',
      text: 'Save the manifest and submit it. It declares a Deployment with two replicas of the frontend image; the selector app=web tells the Deployment which pods are its own.',
      manifest: { file: 'deploy/frontend/20-deployment.yaml', yaml: FRONTEND_FIRST },
      commands: ['kubectl apply -f deploy/frontend/20-deployment.yaml'],
      check: deploymentExists('frontend'),
    },
    {
      id: 'frontend-pods',
      title: 'Check the Deployment and its pods',
      text: 'Both replicas become ready: READY 2/2 for the Deployment, two pods Running with generated names.',
      commands: ['kubectl get deployments', 'kubectl get pods'],
      ui: { label: 'Open Pods', to: '/r/core/v1/pods' },
      check: all(deploymentReady('frontend', 2), deploymentPodsRunning('frontend', 2)),
    },
    {
      id: 'frontend-rolling',
      title: 'Update without downtime',
      text: 'The final manifest adds a RollingUpdate strategy (one extra pod during an update, none unavailable) and a second label, service=nginx.',
      manifest: { file: 'deploy/frontend/20-deployment.yaml', yaml: FRONTEND_FINAL },
      commands: ['kubectl apply -f deploy/frontend/20-deployment.yaml'],
      note: 'A Deployment\'s selector cannot change (apps/v1), so this apply is refused with "field is immutable". Delete the old Deployment first (kubectl delete deployment frontend), then apply again.',
      check: deploymentWhere('frontend', 'Deployment frontend selects service=nginx with maxSurge 1, maxUnavailable 0', (d) => {
        const spec = d.spec as { selector?: { matchLabels?: Record<string, string> }; strategy?: { rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } } };
        return spec.selector?.matchLabels?.service === 'nginx' && spec.strategy?.rollingUpdate?.maxSurge === 1 && spec.strategy.rollingUpdate.maxUnavailable === 0;
      }),
    },
    {
      id: 'backend',
      title: 'Deploy the Go backend',
      text: 'Almost the same manifest, with another image and command and an environment variable, REDIS_URL, telling the app where Redis will be.',
      manifest: { file: 'deploy/backend/20-deployment.yaml', yaml: BACKEND },
      commands: ['kubectl apply -f deploy/backend/20-deployment.yaml', 'kubectl get pods', 'kubectl get deployments'],
      check: all(
        deploymentReady('backend', 2),
        deploymentWhere('backend', 'backend has REDIS_URL', (d) => containersOf(d).some((c) => c.env?.some((e) => e.name === 'REDIS_URL'))),
      ),
    },
    {
      id: 'nginx-svc',
      title: 'Expose the frontend',
      text: 'A LoadBalancer Service for the nginx pods: outside traffic on port 80 goes to port 80 of the pods labelled app=web, service=nginx.',
      manifest: { file: 'deploy/frontend/30-service.yaml', yaml: NGINX_SVC },
      commands: ['kubectl apply -f deploy/frontend/30-service.yaml'],
      note: 'kubesim serves a LoadBalancer on 127.0.0.1:<port>. If port 80 cannot be opened on this machine the EXTERNAL-IP stays <pending>; the node port (the number after 80: in PORT(S)) works either way: http://127.0.0.1:<nodePort>.',
      check: serviceExposed('nginx', { type: 'LoadBalancer', port: 80 }),
    },
    {
      id: 'app-svc',
      title: 'Give the backend an in-cluster address',
      text: 'nginx proxies to the Go app, so the app only needs a ClusterIP Service, reachable from inside the cluster as app:1323.',
      manifest: { file: 'deploy/backend/30-service.yaml', yaml: APP_SVC },
      commands: ['kubectl apply -f deploy/backend/30-service.yaml', 'kubectl get svc'],
      check: serviceExposed('app', { type: 'ClusterIP', port: 1323 }),
    },
    {
      id: 'healthz',
      title: 'Test the connection and read the logs',
      text: 'Call /healthz through the frontend: the ✓ comes from the Go app, proxied by nginx. Then read a frontend pod\'s log to see which pod served you.',
      commands: ['http 10.97.210.57/healthz', 'kubectl logs frontend-99d9cfbc9-dbbdj'],
      note: 'Use your nginx Service\'s URL (http://127.0.0.1:<port or nodePort>/healthz; curl works as well as HTTPie) and one of your own frontend pod names.',
      ui: { label: 'Open the frontend logs', to: '/logs/default/deployments/frontend' },
    },
    {
      id: 'pvc',
      title: 'Claim storage for Redis',
      text: 'A PersistentVolumeClaim asks for 10Gi that one node can mount read-write. Its storage class binds it when the first pod uses it.',
      manifest: { file: 'deploy/redis/10-persistentvolumeclaim.yaml', yaml: PVC },
      commands: ['kubectl apply -f deploy/redis/10-persistentvolumeclaim.yaml', 'kubectl get pvc'],
      check: pvcPhase('redis-data'),
    },
    {
      id: 'redis',
      title: 'Run Redis as a StatefulSet',
      text: 'Redis keeps data, so it runs as a StatefulSet: its pod has a stable name (redis-0) and mounts the claim at /data. The claim becomes Bound to a provisioned volume.',
      manifest: { file: 'deploy/redis/20-statefulset.yaml', yaml: STATEFULSET },
      commands: ['kubectl apply -f deploy/redis/20-statefulset.yaml', 'kubectl get pvc'],
      check: all(statefulSetReady('redis', 1), pvcPhase('redis-data', 'Bound')),
    },
    {
      id: 'redis-svc',
      title: 'Make Redis reachable',
      text: 'A ClusterIP Service named redis, so the backend finds it at redis:6379 — the REDIS_URL it was given.',
      manifest: { file: 'deploy/redis/30-service.yaml', yaml: REDIS_SVC },
      commands: ['kubectl apply -f deploy/redis/30-service.yaml'],
      check: serviceExposed('redis', { type: 'ClusterIP', port: 6379 }),
    },
    {
      id: 'users',
      title: 'Use the application',
      text: 'Increment a user\'s counter and read it back: the value lives in Redis, on the persistent volume.',
      commands: ['http 10.103.127.182/users/10', 'http POST 10.103.127.182/users/10', 'http 10.103.127.182/users/10'],
      note: 'Replace the address with your nginx Service\'s URL (curl -X POST for the POST).',
    },
    {
      id: 'dns',
      title: 'See how the backend finds Redis',
      text: 'Cluster DNS gives every Service a name. kube-dns runs in kube-system; from a backend pod, the name redis resolves to the Service\'s ClusterIP.',
      commands: ['kubectl get svc -n kube-system', 'kubectl exec -it backend-78d87dd74b-pk7tr -- nslookup redis'],
      note: 'Use one of your own backend pod names.',
    },
  ],
};
