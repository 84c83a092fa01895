/** Label and field selectors: parsing, matching and upstream error messages. */
export * from './labels';
export * from './fields';
