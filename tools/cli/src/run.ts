// One CLI invocation: parse, resolve the metadata address, run the command, print. Everything
// that goes wrong ends as one line on stderr and a non-zero exit code; never a stack trace.
import { parseCommandLine } from './args';
import { resolveMetadataAddress } from './address';
import { MetadataClient } from './client';
import { createApiKey, listApiKeys, revokeApiKey } from './commands/api-keys';
import type { Runner } from './commands/context';
import { getQuotas, setQuotas } from './commands/quotas';
import { status } from './commands/status';
import { createTenant, deleteTenant, describeTenant, listTenants, updateTenant } from './commands/tenants';
import { describeTopic, listTopics } from './commands/topics';
import { CommandError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, oneLine } from './errors';
import { json } from './format';

const RUNNERS: Readonly<Record<string, Runner>> = {
  'tenants create': createTenant,
  'tenants list': listTenants,
  'tenants describe': describeTenant,
  'tenants update': updateTenant,
  'tenants delete': deleteTenant,
  'api-keys create': createApiKey,
  'api-keys list': listApiKeys,
  'api-keys revoke': revokeApiKey,
  'quotas get': getQuotas,
  'quotas set': setQuotas,
  'limits get': getQuotas,
  'limits set': setQuotas,
  'topics list': listTopics,
  'topics describe': describeTopic,
  'status ': status,
};

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let client: MetadataClient | undefined;
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.kind === 'help') {
      io.out(parsed.text);
      return EXIT_OK;
    }
    const runner = RUNNERS[`${parsed.command.group} ${parsed.command.name}`];
    if (!runner) throw new Error(`no runner for ${parsed.command.group} ${parsed.command.name}`);
    const address = resolveMetadataAddress({ flag: parsed.metadata, env: io.env, cwd: io.cwd });
    client = new MetadataClient(address);
    const output = await runner({ client, parsed });
    io.out(parsed.json ? json(output.data) : output.human);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`stratus: ${oneLine(error.message)}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandError) {
      io.err(`stratus: ${oneLine(error.message)}\n`);
      return EXIT_FAILED;
    }
    // A bug: still one line, with enough to report it.
    io.err(`stratus: internal error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_FAILED;
  } finally {
    client?.close();
  }
}
