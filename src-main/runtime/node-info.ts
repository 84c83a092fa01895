/** What programs in a container see of the (simulated) node's kernel. */
export const KERNEL_RELEASE = '6.8.0-85-generic';
export const NODE_CPUS = 2;
