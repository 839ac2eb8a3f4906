export * from './errors';
export * from './request-context/request-context';
export * from './validation/validation-pipe';
export * from './pagination';
export * from './scalars';
export * from './validation/time-zone';
export * from './clock';
export * from './validation/transforms';
