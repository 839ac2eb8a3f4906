export * from './test-app';
export * from './graphql-client';
