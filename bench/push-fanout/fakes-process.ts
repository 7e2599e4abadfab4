/**
 * One push fake (argv[2]: apns | fcm) in a process of its own, driven over
 * IPC by bench/push-fanout.bench.ts: the fakes' TLS, HTTP/2 and checks then
 * cost the bench process nothing, and each fake gets a core of its own when
 * the pusher leaves one free.
 *
 * Messages in: { type: 'reset' } (forget deliveries), { type: 'await', count,
 * timeoutMs } (answer once `count` notifications were accepted since the
 * reset). Out: { type: 'ready', url, ca, serviceAccount? }, { type: 'reset' },
 * { type: 'reached' | 'timeout', count, firstAt, lastAt } (ms since the
 * epoch: the first accepted delivery, and when the count was reached or the
 * last one before the timeout).
 *
 * Env (apns): BENCH_APNS_PUBLIC_KEY (PEM), BENCH_APNS_KEY_ID, BENCH_APNS_TEAM_ID, BENCH_APNS_TOPIC.
 */
import { startApnsFake } from '../../tools/push-fakes/src/apns-fake.server.js';
import { startFcmFake } from '../../tools/push-fakes/src/fcm-fake.server.js';

export type FakeKind = 'apns' | 'fcm';

export type FakeRequest = { type: 'reset' } | { type: 'await'; count: number; timeoutMs: number };

export type FakeReply =
  | { type: 'ready'; url: string; ca: string; serviceAccount?: object }
  | { type: 'reset' }
  | { type: 'reached' | 'timeout'; count: number; firstAt: number | undefined; lastAt: number | undefined };

/** What the two fakes have in common, as this process uses them. */
interface RunningFake {
  url: string;
  ca: string;
  deliveries: readonly { receivedAt: number }[];
  reset(): void;
  waitForDeliveries(count: number, timeoutMs: number): Promise<unknown>;
}

async function startFake(kind: FakeKind): Promise<{ fake: RunningFake; serviceAccount?: object }> {
  if (kind === 'fcm') {
    const fcm = await startFcmFake();
    return { fake: fcm, serviceAccount: fcm.serviceAccount() };
  }
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const apns = await startApnsFake({
    keys: { [env('BENCH_APNS_KEY_ID')]: env('BENCH_APNS_PUBLIC_KEY') },
    teamId: env('BENCH_APNS_TEAM_ID'),
    topic: env('BENCH_APNS_TOPIC'),
    // The naive sender signs a token per request, which real APNs would refuse (TooManyProviderTokenUpdates).
    enforceTokenUpdateInterval: false,
  });
  return { fake: apns };
}

const kind = process.argv[2] as FakeKind;
const { fake, serviceAccount } = await startFake(kind);
const send = (reply: FakeReply) => process.send!(reply);

process.on('message', (request: FakeRequest) => {
  if (request.type === 'reset') {
    fake.reset();
    send({ type: 'reset' });
    return;
  }
  fake.waitForDeliveries(request.count, request.timeoutMs).then(
    // The fakes wake their waiters in the same tick as the delivery that reached the count: now is its acceptance.
    () => send({ type: 'reached', count: fake.deliveries.length, firstAt: fake.deliveries[0]?.receivedAt, lastAt: Date.now() }),
    () => send({ type: 'timeout', count: fake.deliveries.length, firstAt: fake.deliveries[0]?.receivedAt, lastAt: fake.deliveries.at(-1)?.receivedAt }),
  );
});
// The bench going away (even killed) takes its fakes along.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', url: fake.url, ca: fake.ca, ...(serviceAccount !== undefined && { serviceAccount }) });
