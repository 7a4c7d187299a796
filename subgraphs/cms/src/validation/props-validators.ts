import type { AnySchemaObject, ValidateFunction } from 'ajv';
import { compileFresh } from './props-schema.ts';

/** What a props validator is compiled from: a component at one version of its schema. */
export interface ComponentSchemaVersion {
  id: string;
  version: number;
  propsSchema: unknown;
}

/**
 * Compiled props validators, one per component version, shared by every request of the
 * process. A (component, version) pair never changes its schema (an update adds one to
 * the version), so an entry is never stale; it is only ever dropped for room, the least
 * recently used first. Compiling costs far more than validating, and most writes use
 * components the process has already compiled.
 */
export class PropsValidatorCache {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly capacity = 1000) {}

  /** The component's validator, compiled on first use. */
  validatorFor(component: ComponentSchemaVersion): ValidateFunction {
    const key = `${component.id}@${component.version}`;
    const cached = this.validators.get(key);
    if (cached) {
      // A Map iterates in insertion order: re-inserting makes this the most recent.
      this.validators.delete(key);
      this.validators.set(key, cached);
      return cached;
    }
    const compiled = compileFresh(component.propsSchema as AnySchemaObject);
    this.validators.set(key, compiled);
    if (this.validators.size > this.capacity) {
      this.validators.delete(this.validators.keys().next().value!);
    }
    return compiled;
  }

  get size(): number {
    return this.validators.size;
  }
}
