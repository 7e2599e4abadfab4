export { FileStore, type FileStoreEvents, type FileStoreOptions } from './file-store.js';
export type { LocalStore, SyncChange, SyncRecord } from './local-store.js';
export { MemoryStore, type StoreSnapshot } from './memory-store.js';
export type { BackoffOptions } from './reconnect-backoff.js';
export {
  SyncClient,
  type ChangeOrigin,
  type DisconnectReason,
  type Disconnection,
  type SyncClientEvents,
  type SyncClientOptions,
  type SyncState,
} from './sync-client.js';
export { SilentConnectionError, SyncHttpError, SyncProtocolError } from './sync-errors.js';
