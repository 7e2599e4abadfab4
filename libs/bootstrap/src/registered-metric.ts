import { register } from 'prom-client';

/**
 * The default registry's metric of that name, created once: a service that is
 * instantiated again (tests, a second module) reuses it instead of failing on
 * a duplicate name.
 */
export function registeredMetric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
