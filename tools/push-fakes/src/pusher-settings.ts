import { writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import type { ApnsFake } from './apns-fake.server.js';
import type { FcmFake } from './fcm-fake.server.js';

export interface FakeApnsCredentials {
  keyId: string;
  teamId: string;
  topic: string;
  /** The private half of the key the APNs fake was given the public half of. */
  privateKey: KeyObject;
}

/**
 * The pusher's settings for the two fakes, as a deployment would set them for
 * the real services, plus NODE_EXTRA_CA_CERTS: the fakes' self-signed
 * certificates written to `caFile`, trusted the way a private CA is.
 */
export async function pusherSettingsForFakes(apns: ApnsFake, fcm: FcmFake, credentials: FakeApnsCredentials, caFile: string): Promise<Record<string, string>> {
  await writeFile(caFile, `${apns.ca}\n${fcm.ca}\n`);
  return {
    NODE_EXTRA_CA_CERTS: caFile,
    APNS_BASE_URL: apns.url,
    APNS_KEY_ID: credentials.keyId,
    APNS_TEAM_ID: credentials.teamId,
    APNS_PRIVATE_KEY: credentials.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    APNS_TOPIC: credentials.topic,
    FCM_BASE_URL: fcm.url,
    FCM_SERVICE_ACCOUNT: JSON.stringify(fcm.serviceAccount()),
  };
}
