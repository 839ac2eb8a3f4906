export * from './error-codes';
export * from './domain-errors';
export * from './format-graphql-error';
