import { createServer, type Server } from 'node:net';

/**
 * Distinct free TCP ports on 127.0.0.1. Kafka needs its ports written into server.properties
 * before it starts, so we cannot hand it port 0: we bind port 0, note what the kernel chose and
 * release it. All sockets stay bound until every port is chosen so the ports differ.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      servers.push(
        await new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => resolve(server));
        }),
      );
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('freePorts: no TCP address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
