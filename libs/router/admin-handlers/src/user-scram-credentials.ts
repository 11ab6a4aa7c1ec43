// DescribeUserScramCredentials (key 50) and AlterUserScramCredentials (key 51), KIP-554. A
// tenant's users are its API keys (the SASL user name is the key id); credentials live in
// metadata, which derives StoredKey/ServerKey from the salted password the client sends (the
// password never leaves the client). Users of other tenants do not exist for the caller.
// Checks done here, as Kafka does before touching state: an unknown mechanism is
// UNSUPPORTED_SASL_MECHANISM, the same user+mechanism twice in one request DUPLICATE_RESOURCE,
// an empty user name UNACCEPTABLE_CREDENTIAL; the iteration range (4096..16384) and the salted
// password length are checked by metadata (UNACCEPTABLE_CREDENTIAL).
import { ErrorCode } from '@stratus/kafka-errors';
import type {
  AlterUserScramCredentialsRequest,
  AlterUserScramCredentialsResponse,
  DescribeUserScramCredentialsRequest,
  DescribeUserScramCredentialsResponse,
} from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, duplicatesOf, tenantOf, type AdminContext } from './admin-context';
import { callMetadata, translateMetadataError } from './metadata-call';

/** Kafka's ScramMechanism type codes, which the metadata enum mirrors (1 = SHA-256, 2 = SHA-512). */
const MECHANISMS = new Set([1, 2]);

type DescribeResult = DescribeUserScramCredentialsResponse['results'][number];
type AlterResult = AlterUserScramCredentialsResponse['results'][number];

export function describeUserScramCredentialsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 50,
    name: 'DescribeUserScramCredentials',
    minVersion: 0,
    maxVersion: 0,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as DescribeUserScramCredentialsRequest;
      const names = (request.users ?? []).map((u) => u.name);
      const duplicates = duplicatesOf(names);
      const unique = [...new Set(names)].filter((n) => !duplicates.has(n));
      const results = new Map<string, DescribeResult>();
      for (const d of duplicates) {
        results.set(d, { user: d, errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${d}`, credentialInfos: [] });
      }
      // Null or empty: every user of the tenant (KIP-554).
      const all = names.length === 0;
      if (all || unique.length > 0) {
        try {
          const response = await callMetadata(admin.metadata, 'describeScramCredentials', { tenantId: { value: tenant }, usernames: all ? [] : unique }, admin.metadataTimeoutMs);
          for (const r of response.results) {
            const code = r.error?.code ?? ErrorCode.NONE;
            results.set(r.username, {
              user: r.username,
              errorCode: code,
              errorMessage: code === ErrorCode.NONE ? null : r.error?.message || null,
              credentialInfos: r.credentials.map((c) => ({ mechanism: c.mechanism, iterations: c.iterations })),
            });
          }
        } catch (err) {
          const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
          ctx.logger.warn({ err, kafkaError: t.code }, 'DescribeUserScramCredentials: metadata call failed');
          const response: DescribeUserScramCredentialsResponse = { throttleTimeMs: 0, errorCode: t.code, errorMessage: t.message, results: [] };
          return { response };
        }
      }
      const ordered = all ? [...results.values()] : [...new Set(names)].map((n) => results.get(n)).filter((r): r is DescribeResult => r !== undefined);
      const response: DescribeUserScramCredentialsResponse = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results: ordered };
      return { response };
    },
  };
}

/** Per-user errors found before metadata is asked (Kafka's request-level validation). */
export function precheckAlter(request: AlterUserScramCredentialsRequest): Map<string, { code: number; message: string }> {
  const errors = new Map<string, { code: number; message: string }>();
  const seen = new Set<string>();
  const ops = [...request.deletions.map((d) => ({ name: d.name, mechanism: d.mechanism })), ...request.upsertions.map((u) => ({ name: u.name, mechanism: u.mechanism }))];
  for (const op of ops) {
    if (errors.has(op.name)) continue;
    if (op.name.length === 0) errors.set(op.name, { code: ErrorCode.UNACCEPTABLE_CREDENTIAL, message: 'Username must not be empty.' });
    else if (!MECHANISMS.has(op.mechanism)) errors.set(op.name, { code: ErrorCode.UNSUPPORTED_SASL_MECHANISM, message: `Unknown SCRAM mechanism ${op.mechanism}.` });
    else if (seen.has(`${op.name}\u0000${op.mechanism}`)) {
      errors.set(op.name, { code: ErrorCode.DUPLICATE_RESOURCE, message: 'A user credential cannot be altered twice in the same request.' });
    }
    seen.add(`${op.name}\u0000${op.mechanism}`);
  }
  return errors;
}

export function alterUserScramCredentialsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 51,
    name: 'AlterUserScramCredentials',
    minVersion: 0,
    maxVersion: 0,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as AlterUserScramCredentialsRequest;
      const users = [...new Set([...request.deletions.map((d) => d.name), ...request.upsertions.map((u) => u.name)])];
      const early = precheckAlter(request);
      const results = new Map<string, AlterResult>();
      for (const [user, e] of early) results.set(user, { user, errorCode: e.code, errorMessage: e.message });
      const deletions = request.deletions.filter((d) => !early.has(d.name));
      const upsertions = request.upsertions.filter((u) => !early.has(u.name));
      if (deletions.length + upsertions.length > 0) {
        try {
          const response = await callMetadata(
            admin.metadata,
            'alterScramCredentials',
            {
              tenantId: { value: tenant },
              deletions: deletions.map((d) => ({ username: d.name, mechanism: d.mechanism })),
              upsertions: upsertions.map((u) => ({ username: u.name, mechanism: u.mechanism, iterations: u.iterations, salt: u.salt, saltedPassword: u.saltedPassword })),
            },
            admin.metadataTimeoutMs,
          );
          for (const r of response.results) {
            const code = r.error?.code ?? ErrorCode.NONE;
            results.set(r.username, { user: r.username, errorCode: code, errorMessage: code === ErrorCode.NONE ? null : r.error?.message || null });
          }
        } catch (err) {
          const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
          ctx.logger.warn({ err, kafkaError: t.code }, 'AlterUserScramCredentials: metadata call failed');
          for (const u of users) if (!results.has(u)) results.set(u, { user: u, errorCode: t.code, errorMessage: t.message });
        }
      }
      const ordered = users.map((u) => results.get(u) ?? { user: u, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'No result from metadata.' });
      const response: AlterUserScramCredentialsResponse = { throttleTimeMs: 0, results: ordered };
      return { response };
    },
  };
}
