import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@stratus/platform-logging';
import type { Metrics } from '@stratus/platform-metrics';
import type { Readiness } from './readiness';

export interface AdminServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly logger: Logger;
}

export interface AdminServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The HTTP admin port: GET /healthz (liveness: 200 while the event loop answers), /readyz
 * (200 only when ready, else 503 listing the failing checks) and /metrics (Prometheus text).
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      options.logger.error({ err: error, path: request.url }, 'admin request failed');
      if (!response.headersSent) send(response, 500, 'application/json', JSON.stringify({ status: 'error' }));
      else response.destroy();
    });
  });
  const port = await listen(server, options.host, options.port);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from scrapers would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function handle(options: AdminServerOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://admin').pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'application/json', JSON.stringify({ status: 'method not allowed' }));
    return;
  }
  switch (path) {
    case '/healthz':
      send(response, 200, 'application/json', JSON.stringify({ status: 'ok' }));
      return;
    case '/readyz': {
      const report = await options.readiness.evaluate();
      const body = report.ready ? { status: 'ready' } : { status: 'not ready', failing: report.failing };
      send(response, report.ready ? 200 : 503, 'application/json', JSON.stringify(body));
      return;
    }
    case '/metrics':
      send(response, 200, options.metrics.contentType, await options.metrics.render());
      return;
    default:
      send(response, 404, 'application/json', JSON.stringify({ status: 'not found', paths: ['/healthz', '/readyz', '/metrics'] }));
  }
}

function send(response: ServerResponse, code: number, contentType: string, body: string): void {
  response.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot bind admin server to ${host}:${port}: ${error.message}`)));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
