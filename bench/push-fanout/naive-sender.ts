/**
 * The naive sender the pusher is compared with, in a process of its own:
 * one notification at a time, alternately to an iOS and an Android device,
 * each awaited before the next; every APNs request carries a JWT signed for
 * it alone (as code that signs where it sends does), FCM requests the one
 * access token fetched at start. One HTTP/2 connection per provider, opened
 * once: the naive part is the sequencing and the signing, not the
 * connection handling.
 *
 * Message in: a NaiveJob. Out: a NaiveResult after `seconds`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http2, { type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { importPKCS8, SignJWT } from 'jose';

export interface NaiveJob {
  seconds: number;
  apns: { url: string; ca: string; keyId: string; teamId: string; topic: string; privateKey: string };
  fcm: { url: string; ca: string; serviceAccount: { project_id: string; client_email: string; private_key: string; token_uri: string } };
}

export interface NaiveResult {
  accepted: number;
  refused: number;
  seconds: number;
}

const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

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
  const assertion = await new SignJWT({ scope: FCM_SCOPE })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(account.client_email)
    .setAudience(account.token_uri)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importPKCS8(account.private_key, 'RS256'));
  const tokenAnswer = await request(
    fcm,
    { ':path': new URL(account.token_uri).pathname, 'content-type': 'application/x-www-form-urlencoded' },
    new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
  );
  const accessToken = (JSON.parse(tokenAnswer.body) as { access_token: string }).access_token;
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
