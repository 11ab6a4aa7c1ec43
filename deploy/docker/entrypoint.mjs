// Image entrypoint: starts the bundled service (./main.js). On Kubernetes the availability zone
// is a Node label that the pod cannot read through the downward API, so the resolve-zone init
// container writes it to a file named by STRATUS_AZ_FILE; export it as STRATUS_AZ here, before
// the service reads its configuration. An explicit STRATUS_AZ always wins.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const azFile = process.env.STRATUS_AZ_FILE;
if (azFile && !process.env.STRATUS_AZ) {
  let az = '';
  try {
    az = readFileSync(azFile, 'utf8').trim();
  } catch (error) {
    process.stderr.write(`entrypoint: cannot read STRATUS_AZ_FILE ${azFile}: ${error.message}\n`);
    process.exit(2);
  }
  if (az === '') {
    process.stderr.write(`entrypoint: STRATUS_AZ_FILE ${azFile} is empty\n`);
    process.exit(2);
  }
  process.env.STRATUS_AZ = az;
}

createRequire(import.meta.url)('./main.js');
