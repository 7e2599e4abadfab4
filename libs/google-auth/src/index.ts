export * from './google-access-token.js';
export * from './google-service-account.js';
