export * from './test-app';
export * from './graphql-client';
export * from './accounts';
export * from './ws-client';
export * from './test-clock';
export * from './teachers';
export * from './mailbox';
export * from './background';
