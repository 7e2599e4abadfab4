import { Injectable } from '@nestjs/common';

/** Answers whether one part of the app can serve; `detail` says why not. */
export type ReadinessCheck = () => { ready: boolean; detail?: string };

/** Parts of an app (the change feed, a queue...) add what /readyz must check beside the database. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks];
  }
}
