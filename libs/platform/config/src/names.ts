/** `grpcPort` → `GRPC_PORT`, `s3Bucket` → `S3_BUCKET`. */
export function toScreamingSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The environment variable for a schema key. */
export function envVarName(prefix: string, key: string): string {
  return `${prefix}${toScreamingSnake(key)}`;
}

/** `['etcdEndpoints', 1]` → `etcdEndpoints[1]`; `['s3', 'bucket']` → `s3.bucket`. */
export function yamlPathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length === 0 ? String(part) : `.${String(part)}`;
  }
  return out;
}

const SECRET_KEY = /(password|secret|token|credential|apikey|sasl)/i;

/** Values of secret-looking keys never appear in error messages or logs. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}
