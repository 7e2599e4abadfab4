export * from './feed-cursor.js';
export * from './feed-change.js';
export * from './change-feed.repository.js';
export * from './change-feed.listener.js';
export * from './change-feed.module.js';
