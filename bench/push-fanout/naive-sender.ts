/**
 * The naive sender the pusher is compared with, in a process of its own:
 * one notification at a time, alternately to an iOS and an Android device,
 * each awaited before the next; every APNs request carries a JWT signed for
 * it alone (as code that signs where it sends does), FCM requests the one
 * access token fetched at start (libs/google-auth, as the pusher does: start-up,
 * not what this baseline measures). One HTTP/2 connection per provider, opened
 * once: the naive part is the sequencing and the signing, not the
 * connection handling.
 *
 * Message in: a NaiveJob. Out: a NaiveResult after `seconds`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http2, { type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { importPKCS8, SignJWT } from 'jose';
// The module itself, not the library's index: that would load zod here too, and this process's RSS is measured.
import { GoogleAccessTokenSource } from '../../libs/google-auth/src/google-access-token.js';
import type { GoogleServiceAccount } from '../../libs/google-auth/src/index.js';

export interface NaiveJob {
  seconds: number;
  apns: { url: string; ca: string; keyId: string; teamId: string; topic: string; privateKey: string };
  /** serviceAccount: the FCM fake's key, parsed; scope: the pusher's FCM_SCOPE (passed in: importing the provider would load Nest here). */
  fcm: { url: string; ca: string; serviceAccount: GoogleServiceAccount; scope: string };
}

export interface NaiveResult {
  accepted: number;
  refused: number;
  seconds: number;
}

function request(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ...headers });
    let status = 0;
    let text = '';
    stream.setEncoding('utf8');
    stream.on('response', (response) => (status = Number(response[':status'])));
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve({ status, body: text }));
    stream.on('error', reject);
    stream.end(body);
  });
}

async function run(job: NaiveJob): Promise<NaiveResult> {
  const apns = http2.connect(job.apns.url, { ca: job.apns.ca });
  const fcm = http2.connect(job.fcm.url, { ca: job.fcm.ca });
  const apnsKey = await importPKCS8(job.apns.privateKey, 'ES256');
  const account = job.fcm.serviceAccount;
  const tokens = new GoogleAccessTokenSource({ serviceAccount: account, scope: job.fcm.scope, timeoutMs: 10_000, ca: job.fcm.ca });
  const accessToken = await tokens.get();
  tokens.close();
  const notificationId = randomUUID();
  const text = { title: 'SEA GOAL! STL 0–1 SEA', body: 'Player One (Player Two) — 7:55 2nd, power play' };

  let accepted = 0;
  let refused = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  for (let i = 0; performance.now() < deadline; i++) {
    const answer =
      i % 2 === 0
        ? await request(
            apns,
            {
              ':path': `/3/device/${randomBytes(32).toString('hex')}`,
              authorization: `bearer ${await new SignJWT({ iss: job.apns.teamId, iat: Math.floor(Date.now() / 1000) }).setProtectedHeader({ alg: 'ES256', kid: job.apns.keyId }).sign(apnsKey)}`,
              'apns-topic': job.apns.topic,
              'apns-push-type': 'alert',
              'apns-priority': '10',
              'apns-collapse-id': 'match-bench',
            },
            JSON.stringify({ aps: { alert: text, 'thread-id': 'match-bench' }, notificationId }),
          )
        : await request(
            fcm,
            { ':path': `/v1/projects/${account.project_id}/messages:send`, authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
            JSON.stringify({ message: { token: `fcm-${randomBytes(16).toString('hex')}`, notification: text, android: { priority: 'HIGH', collapse_key: 'match-bench' }, data: { notificationId } } }),
          );
    if (answer.status === 200) accepted++;
    else refused++;
  }
  const seconds = (performance.now() - started) / 1000;
  apns.close();
  fcm.close();
  return { accepted, refused, seconds };
}

process.once('message', (job: NaiveJob) => {
  run(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
