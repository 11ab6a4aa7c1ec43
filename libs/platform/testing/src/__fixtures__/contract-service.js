// A minimal program that follows the Stratus service process contract, used to test the harness
// without depending on the real apps: ports from STRATUS_GRPC_PORT / STRATUS_ADMIN_PORT (0 = any),
// a JSON `ready` line with the bound ports, /healthz, /readyz, /metrics, grpc.health.v1, exit 0 on
// SIGTERM, exit 2 naming the key on a bad port value.
'use strict';
const http = require('node:http');
const grpc = require('@grpc/grpc-js');
const { HealthImplementation } = require('grpc-health-check');

function portFromEnv(key) {
  const raw = process.env[key] ?? '0';
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    process.stderr.write(`fixture: invalid configuration: ${key} = ${JSON.stringify(raw)}: expected a TCP port number\n`);
    process.exit(2);
  }
  return port;
}

const grpcPort = portFromEnv('STRATUS_GRPC_PORT');
const adminPort = portFromEnv('STRATUS_ADMIN_PORT');
const readyAfter = Date.now() + Number(process.env.FIXTURE_READY_DELAY_MS ?? '0');
let stopping = false;

const health = new HealthImplementation({ '': 'NOT_SERVING' });
const server = new grpc.Server();
health.addToServer(server);

const admin = http.createServer((req, res) => {
  const ready = !stopping && Date.now() >= readyAfter;
  if (req.url === '/healthz') res.writeHead(200).end('ok');
  else if (req.url === '/readyz') res.writeHead(ready ? 200 : 503).end(ready ? 'ready' : 'not ready');
  else if (req.url === '/metrics') res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('process_cpu_user_seconds_total 0\n');
  else res.writeHead(404).end();
});

server.bindAsync(`127.0.0.1:${grpcPort}`, grpc.ServerCredentials.createInsecure(), (err, boundGrpc) => {
  if (err) throw err;
  admin.listen(adminPort, '127.0.0.1', () => {
    health.setStatus('', 'SERVING');
    console.log(JSON.stringify({ level: 30, msg: 'starting', grpcPort: 0, adminPort: 0 }));
    console.log(JSON.stringify({ level: 30, msg: 'ready', grpcPort: boundGrpc, adminPort: admin.address().port }));
  });
});

process.on('SIGTERM', () => {
  if (process.env.FIXTURE_IGNORE_SIGTERM === '1') return;
  stopping = true;
  health.setStatus('', 'NOT_SERVING');
  server.tryShutdown(() => admin.close(() => process.exit(0)));
});
