import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * Free TCP ports on 127.0.0.1 for servers a test starts (often in a child process that binds the
 * port later). A port the kernel picks for `listen(0)` comes from the ephemeral range
 * (net.ipv4.ip_local_port_range), the same range every outgoing connection on the machine takes
 * its local port from, so between our close and the child's bind a gRPC or HTTP client anywhere
 * may take it (EADDRINUSE). Ports below that range are never handed out implicitly: we pick one at
 * random there and check it is free by binding it. Another test picking the same port in the same
 * instant remains possible, so callers that hand the port to a child still retry on "address
 * already in use" (startEtcd does).
 */

/** Lowest port we pick from; below this lie well-known services' registered ports. */
const LOWEST_PICKED_PORT = 10_000;
const ATTEMPTS = 64;

/** The machine's ephemeral port range, or Linux's default when it cannot be read. */
export function ephemeralPortRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) && low <= high) return { low, high };
  } catch {
    // Not Linux, or /proc not mounted: assume the default.
  }
  return { low: 32_768, high: 60_999 };
}

function bind(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('freePorts: server.address() returned no TCP port');
  return address.port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Random ports below the ephemeral range (read once), or none when that range starts too low to leave room. */
function randomLowPorts(): () => number | undefined {
  const span = ephemeralPortRange().low - LOWEST_PICKED_PORT;
  return () => (span > 0 ? LOWEST_PICKED_PORT + Math.floor(Math.random() * span) : undefined);
}

/** A bound server on the first free candidate (up to ATTEMPTS tries), else on a kernel-chosen port. */
async function bindFreePort(taken: ReadonlySet<number>, candidate: () => number | undefined): Promise<Server> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = candidate();
    if (port === undefined) break;
    if (taken.has(port)) continue;
    const server = await bind(port);
    if (server) return server;
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const server = await bind(0);
    if (!server) break;
    if (!taken.has(portOf(server))) return server;
    await close(server);
  }
  throw new Error('freePorts: could not bind any port on 127.0.0.1');
}

/** One free TCP port on 127.0.0.1 (see the file comment for why it lies below the ephemeral range). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/**
 * Several distinct free ports at once (kept bound until all are chosen, so they differ), none of
 * them in `exclude`: ports already promised to a server that has not bound them yet, which a
 * bind check alone would find free.
 */
export function freePorts(count: number, exclude: Iterable<number> = []): Promise<number[]> {
  return pickFreePorts(count, randomLowPorts(), exclude);
}

/** freePorts with the candidate ports given (tests); exported from this file only. */
export async function pickFreePorts(count: number, candidate: () => number | undefined, exclude: Iterable<number> = []): Promise<number[]> {
  const servers: Server[] = [];
  const taken = new Set<number>(exclude);
  try {
    for (let i = 0; i < count; i++) {
      const server = await bindFreePort(taken, candidate);
      servers.push(server);
      taken.add(portOf(server));
    }
    return servers.map(portOf);
  } finally {
    await Promise.all(servers.map(close));
  }
}
