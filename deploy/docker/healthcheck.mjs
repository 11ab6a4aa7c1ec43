// Docker HEALTHCHECK: liveness as Kubernetes sees it, GET /healthz on the admin port.
// (On Kubernetes the chart's probes are used instead; Kubernetes ignores HEALTHCHECK.)
import { get } from 'node:http';

const port = Number(process.env.STRATUS_ADMIN_PORT);
const req = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
