// Shared state while emitting one generated file: which helper functions (struct defaults,
// default tests) were asked for, so that the file holds nothing unused (the workspace compiles
// with noUnusedLocals; imports are chosen by scanning the emitted text).
import type { MessageModel, StructModel } from './model';

export class FileContext {
  private readonly helpers = new Map<string, string | null>();
  private readonly queue: (() => void)[] = [];

  constructor(
    readonly message: MessageModel,
    private readonly emitDefault: (ctx: FileContext, s: StructModel) => string,
    private readonly emitIsDefault: (ctx: FileContext, s: StructModel) => string,
  ) {}

  /** Name of a function building the default value of a struct; emitted once, on demand. */
  readonly needDefault = (s: StructModel): string => this.need(`default_${s.tsName}`, () => this.emitDefault(this, s));

  /** Name of a function testing whether a struct equals its default. */
  readonly needIsDefault = (s: StructModel): string => this.need(`isDefault_${s.tsName}`, () => this.emitIsDefault(this, s));

  private need(name: string, emit: () => string): string {
    if (!this.helpers.has(name)) {
      this.helpers.set(name, null);
      this.queue.push(() => this.helpers.set(name, emit()));
    }
    return name;
  }

  /** Emits every requested helper (helpers may request more). */
  drainHelpers(): string[] {
    while (this.queue.length > 0) this.queue.shift()?.();
    return [...this.helpers.values()].filter((code): code is string => code !== null);
  }
}

/** Renames unused parameters to `_name` (noUnusedParameters) and adds a `flexible` local if used. */
export function finishFunction(options: {
  signature: (names: Record<string, string>) => string;
  params: string[];
  body: string[];
  flexibleCondition?: string;
}): string {
  const text = options.body.join('\n');
  // Property accesses (`m.version`) and object keys (`{ version: f0 }`) are not uses of a local.
  const uses = (name: string): boolean => new RegExp(`(?<![.\\w])${name}\\b(?!:)`).test(text);
  const body = [...options.body];
  let flexibleUsesVersion = false;
  if (options.flexibleCondition !== undefined && uses('flexible')) {
    body.unshift(`  const flexible = ${options.flexibleCondition};`);
    flexibleUsesVersion = /\bversion\b/.test(options.flexibleCondition);
  }
  const names: Record<string, string> = {};
  for (const p of options.params) {
    names[p] = uses(p) || (p === 'version' && flexibleUsesVersion) ? p : `_${p}`;
  }
  return `${options.signature(names)} {\n${body.join('\n')}\n}`;
}
