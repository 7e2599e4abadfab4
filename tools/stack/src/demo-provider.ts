import { type ProviderServer, startProviderServer } from '../../provider-server/src/provider-server.js';

/** DAL @ SEA, 2023-05-13 (playoffs), the statsapi file with real wall-clock times: replayed as if live. */
export const DEMO_LIVE_GAME = '2022030236';
/** 20×: the 2.5-hour game, intermissions included, in about 8 minutes. */
export const DEMO_REPLAY_SPEED = 20;

/**
 * The local statistics provider for `npm start` without PROVIDER_BASE_URL:
 * the saved NHL responses, with the demo game replaying live for the
 * importer to follow.
 */
export async function startDemoProvider(): Promise<ProviderServer> {
  const provider = await startProviderServer();
  provider.replay.start(Number(DEMO_LIVE_GAME), { speed: DEMO_REPLAY_SPEED });
  return provider;
}
