export interface StoredImage {
  data: Buffer;
  contentType: string;
}

/**
 * Where processed images live, by key (`team-logo/<hash>/256.png`). Keys are
 * content-addressed: what is stored under one never changes, which is what
 * lets the bytes be cached forever. An abstract class so that it is its own
 * injection token and another backend (object storage) can replace the local one.
 */
export abstract class ImageStorage {
  /** Stores atomically: a reader sees all of the bytes or none. */
  abstract put(key: string, data: Buffer, contentType: string): Promise<void>;

  /** null when nothing is stored under the key. */
  abstract get(key: string): Promise<StoredImage | null>;

  /** Where clients fetch the key from. */
  abstract publicUrl(key: string): string;
}
