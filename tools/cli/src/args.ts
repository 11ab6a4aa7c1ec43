// Command-line parsing with node:util parseArgs: find the command among the leading positionals,
// then parse strictly with that command's options plus the global ones, so a misspelt flag is a
// usage error instead of being ignored.
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { COMMANDS, GLOBAL_OPTIONS, commandTitle, type CommandSpec, type OptionSpec } from './spec';

export type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface ParsedCommand {
  readonly kind: 'command';
  readonly command: CommandSpec;
  readonly args: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly metadata: string | undefined;
  readonly json: boolean;
}

export interface HelpRequest {
  readonly kind: 'help';
  readonly text: string;
}

type ParseConfig = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

function config(options: Readonly<Record<string, OptionSpec>>): ParseConfig {
  return Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.multiple && { multiple: true }) }]));
}

// Every option any command takes, so the first (lenient) pass knows which flags consume a value.
const ALL_OPTIONS: ParseConfig = Object.assign({}, config(GLOBAL_OPTIONS), ...COMMANDS.map((c) => config(c.options)));

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const rows = Object.entries(options).map(([k, o]) => [`--${k}${o.value ? ` <${o.value}>` : ''}`, o.description] as const);
  const width = Math.max(0, ...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => commandTitle(c).length));
  return [
    'Usage: stratus <command> [options]',
    '',
    'Administers a Stratus cluster through its metadata service.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${commandTitle(c).padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'A <tenant> is a tenant name or id (lkc-...). Run `stratus <command> --help` for its options.',
    '',
  ].join('\n');
}

export function commandHelp(c: CommandSpec): string {
  const lines = [`Usage: stratus ${commandTitle(c)} [options]`, '', `${c.summary[0]?.toUpperCase() ?? ''}${c.summary.slice(1)}.`, ''];
  if (Object.keys(c.options).length > 0) lines.push('Options:', ...optionLines(c.options), '');
  lines.push('Global options:', ...optionLines(GLOBAL_OPTIONS), '');
  return lines.join('\n');
}

function groupHelp(group: string): string {
  const members = COMMANDS.filter((c) => c.group === group);
  return [`Usage: stratus ${group} <${members.map((c) => c.name).join('|')}> ...`, '', ...members.map((c) => `  ${commandTitle(c)}  — ${c.summary}`), ''].join('\n');
}

function lenient(argv: readonly string[]): { positionals: string[]; help: boolean } {
  const { values, positionals } = parseArgs({ args: [...argv], options: ALL_OPTIONS, strict: false, allowPositionals: true });
  return { positionals, help: values['help'] === true };
}

export function parseCommandLine(argv: readonly string[]): ParsedCommand | HelpRequest {
  let first: ReturnType<typeof lenient>;
  try {
    first = lenient(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [group, name] = first.positionals;
  if (group === undefined || group === 'help') {
    if (first.help || group === 'help') return { kind: 'help', text: generalHelp() };
    throw new UsageError('no command given; run `stratus --help` for the list');
  }
  const inGroup = COMMANDS.filter((c) => c.group === group);
  if (inGroup.length === 0) throw new UsageError(`unknown command ${JSON.stringify(group)}; run \`stratus --help\` for the list`);
  const command = inGroup.find((c) => c.name === '') ?? inGroup.find((c) => c.name === name);
  if (!command) {
    if (first.help) return { kind: 'help', text: groupHelp(group) };
    const names = inGroup.map((c) => c.name).join(', ');
    throw new UsageError(name === undefined ? `${group}: missing subcommand (one of ${names})` : `${group}: unknown subcommand ${JSON.stringify(name)} (one of ${names})`);
  }
  if (first.help) return { kind: 'help', text: commandHelp(command) };

  let parsed: { values: Record<string, OptionValue>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: { ...config(GLOBAL_OPTIONS), ...config(command.options) }, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs messages are one line already; prefix the command so the user knows whose flag.
    const message = (error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)).replace(/^\w*Error \[[A-Z_]+\]: /, '');
    throw new UsageError(`${commandTitle(command)}: ${message.replace(/\. To specify a positional argument.*$/, '')}`);
  }
  const rest = parsed.positionals.slice(command.name === '' ? 1 : 2);
  if (rest.length < command.args.length) throw new UsageError(`${commandTitle(command)}: missing <${command.args[rest.length] ?? ''}>`);
  if (rest.length > command.args.length) throw new UsageError(`${commandTitle(command)}: unexpected argument ${JSON.stringify(rest[command.args.length])}`);
  for (const [i, value] of rest.entries()) {
    if (value.trim() === '') throw new UsageError(`${commandTitle(command)}: <${command.args[i] ?? ''}> must not be empty`);
  }
  const { metadata, json, help: _help, ...options } = parsed.values;
  return {
    kind: 'command',
    command,
    args: Object.fromEntries(command.args.map((a, i) => [a, rest[i] as string])),
    options,
    metadata: typeof metadata === 'string' ? metadata : undefined,
    json: json === true,
  };
}
