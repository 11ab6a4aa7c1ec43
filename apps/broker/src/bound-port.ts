// The broker registers its gRPC address with metadata, so it must know the port it is bound to;
// with STRATUS_GRPC_PORT=0 (tests, local runs) that is only known once the service runner has
// bound the server, after setup. This hooks the server's bindAsync to learn it.
import type { Server } from '@grpc/grpc-js';

export function boundPort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    const original = server.bindAsync.bind(server);
    server.bindAsync = (address, credentials, callback) => {
      original(address, credentials, (error, port) => {
        server.bindAsync = original;
        if (error) reject(error);
        else resolve(port);
        callback(error, port);
      });
    };
  });
}
