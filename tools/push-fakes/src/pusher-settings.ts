import { writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';

export interface FakeApnsCredentials {
  keyId: string;
  teamId: string;
  topic: string;
  /** The private half of the key the APNs fake was given the public half of. */
  privateKey: KeyObject;
}

/** What the settings need of a fake: an ApnsFake or FcmFake, or what a fake in another process reported of itself. */
export interface FakeEndpoint {
  url: string;
  /** Its self-signed certificate, PEM. */
  ca: string;
}

export interface FakeFcmEndpoint extends FakeEndpoint {
  /** The service account's JSON key the FCM fake accepts. */
  serviceAccount(): object;
}

/**
 * The pusher's settings for the two fakes, as a deployment would set them for
 * the real services, plus NODE_EXTRA_CA_CERTS: the fakes' self-signed
 * certificates written to `caFile`, trusted the way a private CA is.
 */
export async function pusherSettingsForFakes(apns: FakeEndpoint, fcm: FakeFcmEndpoint, credentials: FakeApnsCredentials, caFile: string): Promise<Record<string, string>> {
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
