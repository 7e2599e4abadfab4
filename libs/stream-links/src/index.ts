export * from './stream-link.js';
