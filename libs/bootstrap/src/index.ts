export * from './bootstrap-app.js';
export * from './observability.module.js';
export * from './readiness.registry.js';
