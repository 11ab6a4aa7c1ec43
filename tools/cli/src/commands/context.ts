// What every command runner gets, what it returns, and the tenant lookup they share.
import { status } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import type { ParsedCommand } from '../args';
import type { MetadataClient } from '../client';
import { CommandError } from '../errors';

export interface CommandContext {
  readonly client: MetadataClient;
  readonly parsed: ParsedCommand;
}

/** `data` is printed with --json, `human` otherwise. */
export interface CommandOutput {
  readonly data: unknown;
  readonly human: string;
}

export type Runner = (ctx: CommandContext) => Promise<CommandOutput>;

const TENANT_ID = /^lkc-[a-z0-9]+$/;

/** A tenant by name, or by id when the argument looks like one (lkc-...). */
export async function resolveTenant(client: MetadataClient, ref: string): Promise<metadataV1.Tenant> {
  const lookup = async (selector: metadataV1.GetTenantRequest['selector']): Promise<metadataV1.Tenant | undefined> => {
    try {
      return (await client.call((c) => c.getTenant, { selector })).tenant;
    } catch (error) {
      if (error instanceof CommandError && (error.grpcCode === status.NOT_FOUND || error.grpcCode === status.INVALID_ARGUMENT)) return undefined;
      throw error;
    }
  };
  const found = (TENANT_ID.test(ref) ? await lookup({ $case: 'tenantId', value: { value: ref } }) : undefined) ?? (await lookup({ $case: 'name', value: ref }));
  if (!found?.tenantId) throw new CommandError(`tenant ${JSON.stringify(ref)} not found`);
  return found;
}

export function tenantState(state: metadataV1.TenantState): string {
  return metadataV1.tenantStateToJSON(state).replace(/^TENANT_STATE_/, '');
}
