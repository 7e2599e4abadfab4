/** One committed change: the record's current full state at its latest cursor position. */
export interface FeedChange {
  position: number;
  type: string;
  id: string;
  /** When the change committed (unix ms, the database's clock). */
  committedAt: number;
  data: Record<string, unknown>;
}

/** Changes handed to subscribers together, in position order. */
export interface FeedBatch {
  epoch: string;
  changes: FeedChange[];
}
