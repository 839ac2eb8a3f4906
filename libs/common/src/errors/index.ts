export * from './error-codes';
export * from './domain-errors';
export * from './store-unavailable';
export * from './format-graphql-error';
export * from './ill-formed-literal';
