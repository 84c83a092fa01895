/** The in-process client: requests over the ApiHandler, shared informers, work queues. */
export * from './client';
export * from './clock';
export * from './store';
export * from './informer';
export * from './workqueue';
export * from './resources';
export * from './event-recorder';
