export * from './bootstrap-app.js';
export * from './observability.module.js';
export * from './readiness.registry.js';
export * from './errors/domain.exception.js';
export * from './errors/domain-exception.filter.js';
export * from './cluster-primary.js';
export * from './registered-metric.js';
