export * from './queue-connection.js';
export * from './queue.module.js';
