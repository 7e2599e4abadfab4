/**
 * A snapshot that contradicts itself or the database (an event of a team
 * that is not in the game, a lineup of a person nobody knows). The import's
 * transaction is rolled back: nothing of the snapshot is written. Retrying
 * the same snapshot fails the same way.
 */
export class ImportSnapshotError extends Error {
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'ImportSnapshotError';
  }
}
