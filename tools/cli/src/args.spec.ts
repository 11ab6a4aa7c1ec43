import { commandHelp, generalHelp, parseCommandLine, type ParsedCommand } from './args';
import { UsageError } from './errors';
import { COMMANDS, commandTitle } from './spec';

const parse = (...argv: string[]) => parseCommandLine(argv) as ParsedCommand;
const usage = (...argv: string[]) => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('parseCommandLine', () => {
  it('finds the command, its positional arguments and options, with globals anywhere', () => {
    const p = parse('--metadata', '127.0.0.1:7000', 'tenants', 'create', 'acme', '--cell', 'c1', '--label', 'a=1', '--label', 'b=2', '--json');
    expect(p.command.group).toBe('tenants');
    expect(p.command.name).toBe('create');
    expect(p.args).toEqual({ name: 'acme' });
    expect(p.options).toEqual({ cell: 'c1', label: ['a=1', 'b=2'] });
    expect(p.metadata).toBe('127.0.0.1:7000');
    expect(p.json).toBe(true);
    expect(parse('api-keys', 'revoke', 'acme', 'KEY1')).toMatchObject({ args: { tenant: 'acme', 'key-id': 'KEY1' }, json: false, metadata: undefined });
    expect(parse('status', '--json').command.group).toBe('status');
    expect(parse('api-keys', 'create', 'acme', '--super-user').options).toEqual({ 'super-user': true });
    expect(parse('quotas', 'set', 'acme', '--max-topics=5', '--unset', 'max-partitions').options).toEqual({ 'max-topics': '5', unset: ['max-partitions'] });
  });

  it('answers --help at every level, and `help`', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', text: generalHelp() });
    expect(parseCommandLine(['help'])).toEqual({ kind: 'help', text: generalHelp() });
    const create = COMMANDS.find((c) => c.group === 'tenants' && c.name === 'create');
    expect(parseCommandLine(['tenants', 'create', '--help'])).toEqual({ kind: 'help', text: commandHelp(create as never) });
    const group = parseCommandLine(['api-keys', '--help']);
    expect(group.kind === 'help' && group.text).toContain('api-keys create <tenant>');
    // Every command appears in the general help.
    for (const c of COMMANDS) expect(generalHelp()).toContain(commandTitle(c));
  });

  it('rejects bad command lines with one-line messages', () => {
    expect(usage()).toMatch(/no command given/);
    expect(usage('tenant', 'list')).toMatch(/unknown command "tenant"/);
    expect(usage('tenants')).toMatch(/missing subcommand \(one of create, list, describe, update, delete\)/);
    expect(usage('tenants', 'lst')).toMatch(/unknown subcommand "lst"/);
    expect(usage('tenants', 'create')).toBe('tenants create <name>: missing <name>');
    expect(usage('tenants', 'create', 'a', 'b')).toMatch(/unexpected argument "b"/);
    expect(usage('tenants', 'create', ' ')).toMatch(/<name> must not be empty/);
    expect(usage('tenants', 'list', '--bogus')).toMatch(/tenants list: Unknown option '--bogus'/);
    // A flag of another command is not accepted here.
    expect(usage('tenants', 'list', '--max-topics', '3')).toMatch(/Unknown option '--max-topics'/);
    expect(usage('tenants', 'list', '--metadata')).toMatch(/--metadata/);
    for (const argv of [['tenants', 'lst'], ['tenants', 'list', '--bogus'], ['x']]) expect(usage(...argv)).not.toContain('\n');
  });
});
