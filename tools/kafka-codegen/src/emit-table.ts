// Emits the API table (what the router advertises in ApiVersions), the codec registry keyed by
// API key, the generated index, and the Markdown table for docs/compatibility.md.
import { generatedHeader, messageFileName, type GeneratedFile } from './emit-message';
import type { MessageModel } from './model';
import { constantCase } from './names';
import type { UnservedApi } from './unserved';
import { formatRange, isEmpty } from './versions';

export interface ApiModel {
  readonly apiKey: number;
  /** "Produce" (the request name without "Request"). */
  readonly name: string;
  readonly request: MessageModel;
  readonly response: MessageModel;
}

/** APIs whose request lists the broker among its listeners, by API key. */
export function brokerApis(messages: readonly MessageModel[]): ApiModel[] {
  const responses = new Map(messages.filter((m) => m.kind === 'response').map((m) => [m.apiKey, m]));
  return messages
    .filter((m) => m.kind === 'request' && m.listeners.includes('broker'))
    .map((request) => {
      const response = responses.get(request.apiKey);
      if (response === undefined || request.apiKey === null) throw new Error(`${request.name} has no response`);
      if (response.validVersions.min !== request.validVersions.min || response.validVersions.max !== request.validVersions.max) {
        throw new Error(`${request.name}: request and response versions differ`);
      }
      return { apiKey: request.apiKey, name: request.name.replace(/Request$/, ''), request, response };
    })
    .sort((a, b) => a.apiKey - b.apiKey);
}

function unservedFor(apis: readonly ApiModel[], unserved: readonly UnservedApi[]): (UnservedApi & { apiKey: number })[] {
  // Older spec sets (e.g. --specs with a 2024 copy) lack some APIs; an entry for an API the specs
  // do not have is simply not applicable there. The pinned-spec test checks every entry matches.
  return unserved.flatMap((u) => {
    const api = apis.find((a) => a.name === u.name);
    return api === undefined ? [] : [{ ...u, apiKey: api.apiKey }];
  });
}

function importPath(m: MessageModel): string {
  return `./${messageFileName(m).replace(/\.ts$/, '')}`;
}

export function emitApiTable(apis: readonly ApiModel[], unserved: readonly UnservedApi[], source: string): GeneratedFile {
  const rows = apis.map((a) => {
    const flexible = isEmpty(a.request.flexibleVersions) ? 'null' : String(a.request.flexibleVersions.min);
    return `  { apiKey: ${a.apiKey}, name: '${a.name}', minVersion: ${a.request.validVersions.min}, maxVersion: ${a.request.validVersions.max}, flexibleMinVersion: ${flexible}, latestVersionUnstable: ${a.request.latestVersionUnstable}, listeners: [${a.request.listeners.map((l) => `'${l}'`).join(', ')}] },`;
  });
  const skipped = unservedFor(apis, unserved).map((u) => `  { apiKey: ${u.apiKey}, name: '${u.name}', reason: ${JSON.stringify(u.reason)} },`);
  const content = `${generatedHeader(source)}
import type { ApiTableEntry, UnservedApi } from '../api-types';

/** Every API whose listeners include the broker, with the versions the codecs handle. */
export const API_TABLE: readonly ApiTableEntry[] = [
${rows.join('\n')}
];

/** Broker APIs Stratus deliberately does not advertise, with the reason (docs/compatibility.md). */
export const UNSERVED_APIS: readonly UnservedApi[] = [
${skipped.join('\n')}
];
`;
  return { path: 'api-table.ts', content };
}

export function emitApiRegistry(apis: readonly ApiModel[], source: string): GeneratedFile {
  const imports: string[] = [];
  const entries: string[] = [];
  const requestTypes: string[] = [];
  const responseTypes: string[] = [];
  const codec = (m: MessageModel): string => {
    const c = constantCase(m.name);
    imports.push(
      `import { ${c}_SCHEMA, ${c}_VERSIONS, decode${m.name}, encode${m.name}, sizeOf${m.name}, write${m.name}, type ${m.name} } from '${importPath(m)}';`,
    );
    return `{ name: '${m.name}', versions: ${c}_VERSIONS, schema: ${c}_SCHEMA, decode: decode${m.name}, encode: encode${m.name}, sizeOf: sizeOf${m.name}, write: write${m.name} } as MessageCodec<${m.name}>`;
  };
  for (const a of apis) {
    entries.push(`  [${a.apiKey}, { apiKey: ${a.apiKey}, name: '${a.name}', request: ${codec(a.request)}, response: ${codec(a.response)} }],`);
    requestTypes.push(`  ${a.apiKey}: ${a.request.name};`);
    responseTypes.push(`  ${a.apiKey}: ${a.response.name};`);
  }
  const content = `${generatedHeader(source)}
import type { ApiCodec, MessageCodec } from '../api-types';
${imports.join('\n')}

/** Request type of each API key (handlers see the newest shape for every version). */
export interface ApiRequests {
${requestTypes.join('\n')}
}

/** Response type of each API key. */
export interface ApiResponses {
${responseTypes.join('\n')}
}

/** Codecs of every broker API by key, for generic code (router dispatch, tools, tests). */
export const API_REGISTRY: ReadonlyMap<number, ApiCodec> = new Map<number, ApiCodec>([
${entries.join('\n')}
]);
`;
  return { path: 'api-registry.ts', content };
}

export function emitIndex(messages: readonly MessageModel[], source: string): GeneratedFile {
  const lines = messages.map((m) => `export * from '${importPath(m)}';`);
  return {
    path: 'index.ts',
    content: `${generatedHeader(source)}\nexport * from './api-table';\nexport * from './api-registry';\n${lines.join('\n')}\n`,
  };
}

export const DOC_BEGIN = '<!-- BEGIN GENERATED: kafka API table (tools/kafka-codegen) -->';
export const DOC_END = '<!-- END GENERATED: kafka API table -->';

export function emitCompatibilityTable(apis: readonly ApiModel[], unserved: readonly UnservedApi[], source: string): string {
  const skipped = new Map(unservedFor(apis, unserved).map((u) => [u.apiKey, u]));
  const rows = apis.map((a) => {
    const flexible = isEmpty(a.request.flexibleVersions) ? '—' : `${a.request.flexibleVersions.min}+`;
    const served = skipped.has(a.apiKey) ? 'no (see below)' : 'yes';
    const unstable = a.request.latestVersionUnstable ? ` (v${a.request.validVersions.max} unstable)` : '';
    return `| ${a.apiKey} | ${a.name} | ${formatRange(a.request.validVersions)}${unstable} | ${flexible} | ${served} |`;
  });
  const reasons = [...skipped.values()].map((u) => `- **${u.name}** (key ${u.apiKey}): ${u.reason}`);
  return [
    DOC_BEGIN,
    `Generated from ${source}. Every API whose \`listeners\` include \`broker\` has codecs for every`,
    'version in this table; the router advertises the served ones in ApiVersions.',
    '',
    '| Key | API | Versions | Flexible from | Served |',
    '|---:|---|---|---|---|',
    ...rows,
    '',
    '### Broker APIs Stratus deliberately does not serve',
    '',
    ...reasons,
    DOC_END,
  ].join('\n');
}
