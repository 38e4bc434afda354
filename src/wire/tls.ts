// The pack's TEST-ONLY certificates (graders/tls, see its README): a CA, a server certificate for localhost
// signed by it, and two impostors: a self-signed one for localhost, and one signed by the CA for another name.
// They let TLS exercises run offline on loopback with real verification; their keys are public, so they protect
// nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TestCerts {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  impostorCert: Buffer;
  impostorKey: Buffer;
  wrongNameCert: Buffer;
  wrongNameKey: Buffer;
}

/** graders/tls, which sits two folders above this module in src/ and in dist/ alike. */
export const TEST_CERTS_DIR = fileURLToPath(new URL('../../graders/tls/', import.meta.url));

let cached: TestCerts | undefined;

/** Read once from TEST_CERTS_DIR. */
export function testCerts(): TestCerts {
  if (!cached) {
    const file = (name: string) => readFileSync(join(TEST_CERTS_DIR, name));
    cached = {
      ca: file('test-ca.pem'),
      cert: file('test-server.pem'),
      key: file('test-server.key'),
      impostorCert: file('impostor.pem'),
      impostorKey: file('impostor.key'),
      wrongNameCert: file('wrong-name.pem'),
      wrongNameKey: file('wrong-name.key'),
    };
  }
  return cached;
}

/** The name every test certificate is for, and the one a TLS peer client asks for. */
export const TLS_SERVER_NAME = 'localhost';
