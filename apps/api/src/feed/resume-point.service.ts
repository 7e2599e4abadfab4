import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ChangeFeedListener, ChangeFeedRepository, parseCursor } from '@app/change-feed';
import { CursorAheadException, InvalidCursorException, ResyncRequiredException, UnknownTypeException } from './feed.exceptions.js';

/** Where a client resumes: a position of the current epoch, and the types it wants (undefined: all). */
export interface ResumePoint {
  epoch: string;
  position: number;
  types: string[] | undefined;
}

/**
 * Turns a client's cursor and `types` into a resume point, or the protocol's
 * errors: 400 for a malformed or future cursor or an unknown type, 409 for a
 * cursor of another epoch. Never a silent restart from zero.
 */
@Injectable()
export class ResumePointService implements OnApplicationBootstrap {
  private knownTypes: readonly string[] = [];

  constructor(
    private readonly listener: ChangeFeedListener,
    private readonly repository: ChangeFeedRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Types come with migrations, which come with a restart.
    this.knownTypes = await this.repository.types();
  }

  async resolve(cursorText: string | undefined, typesText: string | undefined): Promise<ResumePoint> {
    const types = this.parseTypes(typesText);
    const epoch = this.listener.epoch;
    const cursor = parseCursor(cursorText, epoch);
    if (!cursor) throw new InvalidCursorException(cursorText ?? '');
    if (cursor.epoch !== epoch) throw new ResyncRequiredException(cursorText ?? '', epoch);
    // The listener may lag the database by a moment; only then ask the database.
    if (cursor.position > this.listener.position && cursor.position > (await this.repository.headPosition())) {
      throw new CursorAheadException(cursorText ?? '');
    }
    return { epoch, position: cursor.position, types };
  }

  private parseTypes(text: string | undefined): string[] | undefined {
    if (text === undefined) return undefined;
    const types = [...new Set(text.split(',').map((type) => type.trim()))];
    const unknown = types.filter((type) => !this.knownTypes.includes(type));
    if (unknown.length) throw new UnknownTypeException(unknown, this.knownTypes);
    return types;
  }
}
