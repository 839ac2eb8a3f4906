export * from './date-time.scalar';
