import { z } from 'zod';

const compiles = (source: string) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
};

/** One misbehaviour, for the requests whose URL matches `path`. */
export const faultSpecSchema = z
  .strictObject({
    /** A regular expression tested against the request's path and query (unanchored, like RegExp.test). */
    path: z.union([z.instanceof(RegExp), z.string().refine(compiles, 'not a regular expression')]),
    /** Only requests of this method (any when absent). */
    method: z.string().toUpperCase().optional(),
    /** Answer with this status and a JSON error body instead of the response. */
    status: z.number().int().min(400).max(599).optional(),
    /** Seconds for a Retry-After header; the status defaults to 429 with it. */
    retryAfter: z.number().int().min(0).optional(),
    /** Wait this long before answering (or before the status above): client time-outs. */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** Send the response cut in half, still as 200 application/json. */
    malformed: z.boolean().optional(),
    /** Affect this many requests, then stop; every request when absent. */
    times: z.number().int().min(1).optional(),
  })
  .refine((spec) => spec.status !== undefined || spec.retryAfter !== undefined || spec.delayMs !== undefined || spec.malformed, {
    message: 'a fault needs status, retryAfter, delayMs or malformed',
  });

export type FaultSpec = z.input<typeof faultSpecSchema>;

export interface Fault {
  id: number;
  path: string;
  method?: string;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  malformed?: boolean;
  /** Requests still to affect; absent: every request. */
  remaining?: number;
  /** Requests affected so far. */
  hits: number;
}

export interface FaultControl {
  add(specs: FaultSpec | FaultSpec[]): Fault[];
  clear(): void;
  list(): Fault[];
}

/**
 * Faults for tests of a client's error handling. The first fault (in the order
 * added) that matches a request and has requests left applies to it alone.
 */
export class FaultInjector implements FaultControl {
  private readonly faults: Array<Fault & { pattern: RegExp }> = [];
  private nextId = 1;

  /** Validates all before adding any (throws a ZodError). */
  add(specs: FaultSpec | FaultSpec[]): Fault[] {
    const parsed = (Array.isArray(specs) ? specs : [specs]).map((spec) => faultSpecSchema.parse(spec));
    const added = parsed.map(({ path, times, ...effect }) => {
      // Without the g and y flags: with them RegExp.test remembers where it stopped.
      const pattern = typeof path === 'string' ? new RegExp(path) : new RegExp(path.source, path.flags.replace(/[gy]/g, ''));
      const status = effect.status ?? (effect.retryAfter !== undefined ? 429 : undefined);
      return { id: this.nextId++, path: typeof path === 'string' ? path : pattern.source, pattern, ...effect, ...(status !== undefined && { status }), remaining: times, hits: 0 };
    });
    this.faults.push(...added);
    return added.map(withoutPattern);
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): Fault[] {
    return this.faults.map(withoutPattern);
  }

  /** The fault for this request, counted as used; exhausted faults are dropped. */
  take(method: string, url: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => (!fault.method || fault.method === method) && fault.pattern.test(url));
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.hits += 1;
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.faults.splice(index, 1);
    }
    return withoutPattern(fault);
  }
}

function withoutPattern({ pattern, ...fault }: Fault & { pattern: RegExp }): Fault {
  return fault;
}
