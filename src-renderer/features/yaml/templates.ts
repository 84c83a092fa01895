/**
 * Starting points for the common kinds, valid against this cluster as they are (images from the
 * runtime's catalog, the default StorageClass), in the namespace given. Each is a YAML text with
 * short comments for a newcomer.
 */

export interface Template {
  kind: string;
  apiVersion: string;
  /** The resource (plural) the template is for, to match list pages. */
  group: string;
  resource: string;
  namespaced: boolean;
  text(namespace: string): string;
}

const ns = (namespace: string): string => `  namespace: ${namespace}\n`;

const TEMPLATES: Template[] = [
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    group: 'apps',
    resource: 'deployments',
    namespaced: true,
    text: (n) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${ns(n)}  labels:
    app: web
spec:
  replicas: 2
  # Pods whose labels match are this Deployment's.
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: nginx:1.25
          ports:
            - containerPort: 80
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
`,
  },
  {
    kind: 'Service',
    apiVersion: 'v1',
    group: '',
    resource: 'services',
    namespaced: true,
    text: (n) => `apiVersion: v1
kind: Service
metadata:
  name: web
${ns(n)}spec:
  # ClusterIP (inside the cluster), NodePort or LoadBalancer (reachable on 127.0.0.1).
  type: ClusterIP
  # Traffic goes to the ready pods with these labels.
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 80
`,
  },
  {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    group: '',
    resource: 'configmaps',
    namespaced: true,
    text: (n) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
${ns(n)}data:
  LOG_LEVEL: info
  app.properties: |
    greeting=hello
    color=blue
`,
  },
  {
    kind: 'Secret',
    apiVersion: 'v1',
    group: '',
    resource: 'secrets',
    namespaced: true,
    text: (n) => `apiVersion: v1
kind: Secret
metadata:
  name: web-secret
${ns(n)}type: Opaque
# stringData is written as plain text; the server stores it base64-encoded under data.
stringData:
  username: admin
  password: change-me
`,
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    group: '',
    resource: 'pods',
    namespaced: true,
    text: (n) => `apiVersion: v1
kind: Pod
metadata:
  name: hello
${ns(n)}  labels:
    app: hello
spec:
  containers:
    - name: hello
      image: busybox:1.36
      command: ["sh", "-c", "echo Hello from the pod; sleep 3600"]
  restartPolicy: Always
`,
  },
  {
    kind: 'Job',
    apiVersion: 'batch/v1',
    group: 'batch',
    resource: 'jobs',
    namespaced: true,
    text: (n) => `apiVersion: batch/v1
kind: Job
metadata:
  name: countdown
${ns(n)}spec:
  completions: 1
  backoffLimit: 4
  template:
    spec:
      containers:
        - name: countdown
          image: busybox:1.36
          command: ["sh", "-c", "for i in 3 2 1; do echo $i; sleep 1; done; echo done"]
      # Jobs restart failed pods themselves: Never or OnFailure.
      restartPolicy: Never
`,
  },
  {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    group: 'batch',
    resource: 'cronjobs',
    namespaced: true,
    text: (n) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello-every-minute
${ns(n)}spec:
  # minute hour day-of-month month day-of-week
  schedule: "*/1 * * * *"
  concurrencyPolicy: Forbid
  successfulJobsHistoryLimit: 3
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: hello
              image: busybox:1.36
              command: ["sh", "-c", "date; echo Hello from the CronJob"]
          restartPolicy: OnFailure
`,
  },
  {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    group: 'networking.k8s.io',
    resource: 'ingresses',
    namespaced: true,
    text: (n) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
${ns(n)}spec:
  rules:
    - host: web.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
  },
  {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    group: '',
    resource: 'persistentvolumeclaims',
    namespaced: true,
    text: (n) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
${ns(n)}spec:
  # Omit storageClassName to use the default class (standard: a host directory per volume,
  # provisioned when the first pod using the claim is scheduled).
  accessModes:
    - ReadWriteOnce
  resources:
    requests:
      storage: 1Gi
`,
  },
  {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    group: 'apps',
    resource: 'statefulsets',
    namespaced: true,
    text: (n) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
${ns(n)}spec:
  # The headless Service that gives each pod a stable DNS name (db-0.db, db-1.db, …).
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: redis
          image: redis:7
          ports:
            - containerPort: 6379
`,
  },
  {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    group: 'apps',
    resource: 'daemonsets',
    namespaced: true,
    text: (n) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
${ns(n)}spec:
  # One pod on every node.
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      containers:
        - name: agent
          image: busybox:1.36
          command: ["sh", "-c", "while true; do echo agent on $(hostname); sleep 30; done"]
`,
  },
  {
    kind: 'Namespace',
    apiVersion: 'v1',
    group: '',
    resource: 'namespaces',
    namespaced: false,
    text: () => `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    team: a
`,
  },
];

export function templates(): readonly Template[] {
  return TEMPLATES;
}

export function templateForKind(kind: string): Template | undefined {
  return TEMPLATES.find((t) => t.kind.toLowerCase() === kind.toLowerCase());
}

export function templateForResource(group: string, resource: string): Template | undefined {
  return TEMPLATES.find((t) => t.group === group && t.resource === resource);
}
