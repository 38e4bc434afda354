// Free loopback ports and short AF_UNIX paths. Nothing here is fixed: peers bind port 0, and a port for the
// learner's server is found by binding 0 and letting go, so two runs at once never meet.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export type Family = 'ipv4' | 'ipv6';

export function hostOf(family: Family): string {
  return family === 'ipv6' ? '::1' : '127.0.0.1';
}

/** A port nobody uses right now. The caller hands it on at once; a late taker is handled by one retry. */
export function freeTcpPort(family: Family): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen({ host: hostOf(family), port: 0, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function freeUdpPort(family: Family): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(family === 'ipv6' ? 'udp6' : 'udp4');
    sock.unref();
    sock.on('error', reject);
    sock.bind({ address: hostOf(family), port: 0, exclusive: true }, () => {
      const port = sock.address().port;
      sock.close(() => resolve(port));
    });
  });
}
