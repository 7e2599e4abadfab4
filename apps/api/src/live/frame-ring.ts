/** A change's frame as the fanout keeps it: its position, its type's bit, its bytes. */
export interface Frame {
  position: number;
  typeBit: number;
  bytes: Buffer;
}

/**
 * The last `capacity` frames the process delivered, oldest first. It holds
 * every frame after `floor`: a client resuming from a position at or above
 * the floor is served from memory, with no database query — what makes a
 * reconnect storm cheap.
 */
export class FrameRing {
  private readonly slots: (Frame | undefined)[];
  private start = 0;
  private size = 0;
  /** Every frame with a position above this is in the ring. */
  floor = Number.POSITIVE_INFINITY;

  constructor(private readonly capacity: number) {
    this.slots = new Array(capacity);
  }

  /** Empties the ring; from now on it holds what follows `floor`. */
  reset(floor: number): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.floor = floor;
  }

  push(frame: Frame): void {
    if (this.size === this.capacity) {
      this.floor = this.slots[this.start]!.position;
      this.slots[this.start] = frame;
      this.start = (this.start + 1) % this.capacity;
    } else {
      this.slots[(this.start + this.size) % this.capacity] = frame;
      this.size++;
    }
  }

  covers(position: number): boolean {
    return position >= this.floor;
  }

  /** The frames after `position` whose type is in `mask`, oldest first. */
  since(position: number, mask: number): Frame[] {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at(middle).position <= position) low = middle + 1;
      else high = middle;
    }
    const frames: Frame[] = [];
    for (let i = low; i < this.size; i++) {
      const frame = this.at(i);
      if (frame.typeBit & mask) frames.push(frame);
    }
    return frames;
  }

  private at(index: number): Frame {
    return this.slots[(this.start + index) % this.capacity]!;
  }
}
