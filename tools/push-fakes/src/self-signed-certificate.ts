import selfsigned from 'selfsigned';

export interface TlsCertificate {
  /** PEM: give it to clients as their trusted CA (`ca` option, or NODE_EXTRA_CA_CERTS). */
  cert: string;
  key: string;
}

/**
 * A certificate for localhost / 127.0.0.1 / ::1, made at start: the fakes
 * speak TLS as the real services do. Each fake names its own (`commonName`):
 * clients that trust several fakes at once (NODE_EXTRA_CA_CERTS) find a
 * certificate's issuer by its name, and two self-signed "localhost" would be
 * mistaken for each other.
 */
export async function selfSignedCertificate(commonName: string): Promise<TlsCertificate> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
