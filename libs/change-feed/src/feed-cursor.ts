/**
 * A position in the change feed, as clients see it: `<epoch>-<position>`.
 * The epoch tells cursors of another database apart (restored, rebuilt);
 * within one epoch, cursors compare by position.
 */
export interface FeedCursor {
  epoch: string;
  position: number;
}

const WIRE_FORMAT = /^([0-9a-z]{1,32})-(0|[1-9][0-9]{0,15})$/;

export function formatCursor(cursor: FeedCursor): string {
  return `${cursor.epoch}-${cursor.position}`;
}

/**
 * Parses a cursor from the wire. `"0"` (or nothing) means "from the
 * beginning" in any epoch. Returns `undefined` when the text is malformed.
 */
export function parseCursor(text: string | undefined, currentEpoch: string): FeedCursor | undefined {
  if (text === undefined || text === '' || text === '0') return { epoch: currentEpoch, position: 0 };
  const match = WIRE_FORMAT.exec(text);
  if (!match) return undefined;
  const position = Number(match[2]);
  return Number.isSafeInteger(position) ? { epoch: match[1], position } : undefined;
}
