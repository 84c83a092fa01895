/** Seed 000: Kubernetes in Action (2nd ed.) §3.3, "Running your first application on Kubernetes". */
import { deploymentExists, deploymentPodsRunning, deploymentReady, serviceExposed, serviceHasExternalIp } from '../checks';
import type { Tutorial } from '../types';

export const firstApp: Tutorial = {
  id: 'first-app',
  title: 'Your first application on Kubernetes',
  source: 'Kubernetes in Action, 2nd edition, §3.3',
  summary: 'Run the kubia web app with one command, expose it through a load balancer, then scale it to three pods.',
  namespace: 'default',
  steps: [
    {
      id: 'create',
      title: 'Create a Deployment',
      text: 'Tell Kubernetes what should run: a Deployment named kubia whose pods run the image luksa/kubia:1.0. The command only stores that wish in the API; controllers, the scheduler and a kubelet then make it real.',
      commands: ['kubectl create deployment kubia --image=luksa/kubia:1.0'],
      ui: { label: 'Use the Create deployment wizard', to: '/create/deployment?name=kubia&image=luksa/kubia:1.0&namespace=default' },
      check: deploymentExists('kubia', 'luksa/kubia:1.0'),
    },
    {
      id: 'get-deployments',
      title: 'List Deployments',
      text: 'Read the Deployment back. READY shows how many of its pods are ready out of how many are wanted: 0/1 while the image is pulled and the container starts, then 1/1.',
      commands: ['kubectl get deployments'],
      ui: { label: 'Open Deployments', to: '/r/apps/v1/deployments' },
      check: deploymentReady('kubia', 1),
    },
    {
      id: 'get-containers',
      title: 'Try to list containers',
      text: 'There is no Container object in the API, so this fails with "the server doesn\'t have a resource type". The smallest thing Kubernetes deploys is a pod: one or more containers that share a network and run together on one node.',
      commands: ['kubectl get containers'],
    },
    {
      id: 'get-pods',
      title: 'List pods',
      text: 'The Deployment created one pod, named after it plus two random suffixes. It is Pending until its node has pulled the image, then Running.',
      commands: ['kubectl get pods'],
      ui: { label: 'Open Pods', to: '/r/core/v1/pods' },
      check: deploymentPodsRunning('kubia', 1),
    },
    {
      id: 'describe-pod',
      title: 'Look at the pod\'s events',
      text: 'describe shows a pod\'s details and, at the bottom, its events: Scheduled by the scheduler, then Pulling, Pulled, Created and Started by the kubelet of its node.',
      commands: ['kubectl describe pod'],
      ui: { label: 'Open Pods and pick the kubia pod', to: '/r/core/v1/pods' },
    },
    {
      id: 'expose',
      title: 'Expose it with a LoadBalancer Service',
      text: 'A pod\'s IP is internal and changes when the pod is replaced. A Service gives the pods one stable entry point; type LoadBalancer also asks for an external address. The app listens on 8080, so the Service does too. It takes the Deployment\'s name.',
      commands: ['kubectl expose deployment kubia --type=LoadBalancer --port 8080'],
      ui: { label: 'Use the Expose wizard', to: '/expose/default/kubia?type=LoadBalancer&port=8080' },
      check: serviceExposed('kubia', { type: 'LoadBalancer', port: 8080 }),
    },
    {
      id: 'get-svc',
      title: 'Wait for the external IP',
      text: 'List Services: EXTERNAL-IP is <pending> until the load balancer is provisioned. In kubesim, as in Docker Desktop, it becomes 127.0.0.1 (it stays pending, with an event saying why, if port 8080 is already taken on this machine).',
      commands: ['kubectl get svc', 'kubectl get svc kubia'],
      ui: { label: 'Open Services', to: '/r/core/v1/services' },
      check: serviceHasExternalIp('kubia'),
    },
    {
      id: 'curl',
      title: 'Call the application',
      text: 'Send a request to the external IP and port. The answer names the pod that served it.',
      commands: ['curl 127.0.0.1:8080'],
      note: 'The book\'s address (35.246.179.22) is a cloud load balancer; here the external IP is 127.0.0.1.',
    },
    {
      id: 'scale',
      title: 'Scale out to three replicas',
      text: 'Set a new desired state — three replicas — and let Kubernetes work out that two more pods are needed. READY becomes 3/3.',
      commands: ['kubectl scale deployment kubia --replicas=3', 'kubectl get deploy'],
      ui: { label: 'Open the kubia Deployment', to: '/r/apps/v1/deployments/default/kubia' },
      check: deploymentReady('kubia', 3),
    },
    {
      id: 'wide',
      title: 'See where the pods run',
      text: 'The wide output adds each pod\'s IP and node. The scheduler usually spreads the pods over the worker nodes — and which node a pod lands on should not matter to you.',
      commands: ['kubectl get pods', 'kubectl get pods -o wide'],
    },
    {
      id: 'curl-many',
      title: 'Watch the Service balance requests',
      text: 'Call the Service a few times: the answers come from different pods, because the Service spreads connections over every ready pod behind it.',
      commands: ['curl 127.0.0.1:8080', 'curl 127.0.0.1:8080', 'curl 127.0.0.1:8080'],
    },
  ],
};
