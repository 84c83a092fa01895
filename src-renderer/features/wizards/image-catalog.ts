/**
 * The images this cluster simulates that a newcomer is likely to want (the full list is
 * docs/images.md; the renderer may not import src-main/runtime/images). Each entry: the image as
 * one would type it, what it does, the port it listens on and, for images whose default command
 * exits at once (busybox), a command that keeps the container running.
 */
export interface CatalogImage {
  image: string;
  title: string;
  description: string;
  /** The container port the image listens on (none for shells). */
  port?: number;
  command?: string[];
  args?: string[];
}

export const IMAGE_CATALOG: readonly CatalogImage[] = [
  { image: 'nginx:1.25', title: 'nginx', description: 'Web server: the nginx welcome page, access log on stdout.', port: 80 },
  { image: 'httpd:2.4', title: 'Apache httpd', description: 'Web server answering "It works!".', port: 80 },
  { image: 'redis:7.4', title: 'Redis', description: 'In-memory key-value store speaking RESP.', port: 6379 },
  { image: 'busybox:1.36', title: 'busybox', description: 'A tiny shell and Unix tools; sleeps so you can exec into it.', command: ['sleep', '3600'] },
  { image: 'alpine:3.20', title: 'Alpine Linux', description: 'A small Linux userland; sleeps so you can exec into it.', command: ['sleep', '3600'] },
  { image: 'luksa/kubia:1.0', title: 'kubia', description: 'Kubernetes in Action app: "Hey there, this is <pod>".', port: 8080 },
  { image: 'gcr.io/google-samples/kubernetes-bootcamp:v1', title: 'Kubernetes bootcamp', description: 'The kubernetes.io basics app: "Hello Kubernetes bootcamp!".', port: 8080 },
  { image: 'gcr.io/google-samples/hello-app:1.0', title: 'hello-app', description: 'GKE quick start: "Hello, world!" with version and hostname.', port: 8080 },
  { image: 'registry.k8s.io/echoserver:1.10', title: 'echoserver', description: 'Echoes the request and the pod it reached.', port: 8080 },
  { image: 'hashicorp/http-echo:1.0', title: 'http-echo', description: 'Answers a fixed text (-text).', port: 5678, args: ['-text=hello from kubesim'] },
  { image: 'traefik/whoami:v1.10', title: 'whoami', description: "Prints the pod's hostname, IPs and your request.", port: 80 },
  { image: 'nginxdemos/hello:plain-text', title: 'nginx hello', description: 'Server address, name and date as plain text.', port: 80 },
  { image: 'paulbouwer/hello-kubernetes:1.10', title: 'hello-kubernetes', description: 'A friendly page showing the pod and node.', port: 8080 },
  { image: 'ghcr.io/stefanprodan/podinfo:6.9.2', title: 'podinfo', description: 'Go microservice with /healthz, /readyz and JSON info.', port: 9898 },
  { image: 'kicbase/echo-server:1.0', title: 'echo-server', description: "minikube's hello-minikube: echoes the request.", port: 8080 },
];

/** The catalog entry of an image as typed (exact match first, then by repository without tag). */
export function findCatalogImage(image: string): CatalogImage | undefined {
  const exact = IMAGE_CATALOG.find((c) => c.image === image);
  if (exact) return exact;
  const repo = repositoryOf(image);
  return IMAGE_CATALOG.find((c) => repositoryOf(c.image) === repo);
}

/** `gcr.io/x/y:v1` → `gcr.io/x/y` (a registry port's colon is kept). */
export function repositoryOf(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at < 0 ? image : image.slice(0, at);
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}
