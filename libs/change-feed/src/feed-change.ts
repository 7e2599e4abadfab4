/** One committed change: the record's current full state at its latest cursor position. */
export interface FeedChange {
  position: number;
  type: string;
  id: string;
  data: Record<string, unknown>;
}

/** Changes handed to subscribers together, in position order. */
export interface FeedBatch {
  epoch: string;
  changes: FeedChange[];
}
