export * from './mongo-options';
export * from './index-sync';
export * from './errors';
