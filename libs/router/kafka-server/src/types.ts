// Identity types shared by the connection pipeline, SASL and handlers.

/** A tenant (logical cluster) id. Branded so it cannot be mixed up with a user name or client id. */
export type TenantId = string & { readonly __brand: 'TenantId' };

export function tenantId(value: string): TenantId {
  return value as TenantId;
}

import type { ScramMechanism } from '@stratus/kafka-scram';

export type { ScramMechanism };
export type SaslMechanism = 'PLAIN' | ScramMechanism;

export const ALL_SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

export function isSaslMechanism(name: string): name is SaslMechanism {
  return (ALL_SASL_MECHANISMS as readonly string[]).includes(name);
}

/** Who a connection authenticated as. */
export interface Principal {
  readonly username: string;
  readonly tenantId: TenantId;
  /**
   * When the credential itself stops being valid (epoch ms), if it does; the session lifetime
   * returned in SaslAuthenticate never exceeds it (KIP-368).
   */
  readonly credentialExpiresAtMs?: number;
}
