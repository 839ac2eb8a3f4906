export * from './connection';
export * from './connection-args';
export * from './cursor';
export * from './build-connection';
export * from './page';
