export * from './date-time.scalar';
export * from './typed-scalars';
export * from './scalar-value-error';
export * from './refused-scalar-value';
