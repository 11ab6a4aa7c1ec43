// Init container: reads the zone label (STRATUS_ZONE_LABEL, default topology.kubernetes.io/zone)
// of the pod's Node (NODE_NAME, from the downward API's spec.nodeName) through the Kubernetes API
// with the pod's service account, and writes it to STRATUS_AZ_FILE for the main container.
// Needs `get` on nodes (the chart's ClusterRole). Exits 1 with one clear line when the label is
// missing or the API keeps failing, so a mis-labelled node shows up as Init:Error, not as a pod
// silently running in the wrong zone.
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const env = process.env;
const nodeName = env.NODE_NAME;
const label = env.STRATUS_ZONE_LABEL || 'topology.kubernetes.io/zone';
const outFile = env.STRATUS_AZ_FILE;
// In-cluster API address; STRATUS_K8S_API_URL overrides it (tests, out-of-cluster runs).
const apiUrl =
  env.STRATUS_K8S_API_URL || `https://${env.KUBERNETES_SERVICE_HOST}:${env.KUBERNETES_SERVICE_PORT || '443'}`;
const tokenFile = env.STRATUS_K8S_TOKEN_FILE || `${SA_DIR}/token`;
const caFile = env.STRATUS_K8S_CA_FILE || `${SA_DIR}/ca.crt`;
const attempts = Number(env.STRATUS_ZONE_ATTEMPTS || '5');

function fail(message) {
  process.stderr.write(`resolve-zone: ${message}\n`);
  process.exit(1);
}

function getJson(url, headers, ca) {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { headers, ca, timeout: 5000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          const error = new Error(`GET ${url.pathname} answered ${res.statusCode}: ${body.slice(0, 200)}`);
          // 401/403/404 will not get better by retrying.
          error.permanent = res.statusCode >= 400 && res.statusCode < 500;
          reject(error);
          return;
        }
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error(`GET ${url.pathname} answered with a body that is not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

async function main() {
  if (!nodeName) fail('NODE_NAME is not set (downward API fieldRef spec.nodeName)');
  if (!outFile) fail('STRATUS_AZ_FILE is not set');
  let token;
  try {
    token = readFileSync(tokenFile, 'utf8').trim();
  } catch (error) {
    fail(`cannot read the service account token ${tokenFile}: ${error.message}`);
  }
  let ca;
  try {
    ca = readFileSync(caFile);
  } catch {
    ca = undefined; // plain-HTTP test servers have no CA
  }
  const url = new URL(`/api/v1/nodes/${encodeURIComponent(nodeName)}`, apiUrl);
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const node = await getJson(url, { authorization: `Bearer ${token}`, accept: 'application/json' }, ca);
      const zone = node?.metadata?.labels?.[label];
      if (typeof zone !== 'string' || zone === '') fail(`node ${nodeName} has no label ${label}`);
      writeFileSync(outFile, `${zone}\n`);
      process.stdout.write(`resolve-zone: node ${nodeName} is in zone ${zone}\n`);
      return;
    } catch (error) {
      lastError = error;
      if (error.permanent) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 5000)));
    }
  }
  fail(`cannot read node ${nodeName}: ${lastError?.message ?? 'unknown error'}`);
}

await main();
