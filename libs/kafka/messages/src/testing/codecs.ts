// Every generated message codec, found through the generated index (test support).
import * as generated from '../generated';
import type { MessageCodec } from '../api-types';
import type { MessageSchema } from '../runtime';

const exports = generated as unknown as Record<string, unknown>;

function lookup<T>(name: string): T {
  const value = exports[name];
  if (value === undefined) throw new Error(`generated index lacks ${name}`);
  return value as T;
}

/** Codecs of every generated message (API requests and responses and data messages). */
export function allCodecs(): MessageCodec<unknown>[] {
  return Object.keys(exports)
    .filter((key) => key.endsWith('_SCHEMA'))
    .map((key) => {
      const schema = exports[key] as MessageSchema;
      const name = schema.name;
      return {
        name,
        schema,
        versions: lookup(`${key.slice(0, -'_SCHEMA'.length)}_VERSIONS`),
        decode: lookup(`decode${name}`),
        encode: lookup(`encode${name}`),
        sizeOf: lookup(`sizeOf${name}`),
        write: lookup(`write${name}`),
      } as MessageCodec<unknown>;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** [name, version] for every version of every codec. */
export function allVersions(codecs: readonly MessageCodec<unknown>[]): [MessageCodec<unknown>, number][] {
  return codecs.flatMap((c) => {
    const out: [MessageCodec<unknown>, number][] = [];
    for (let v = c.versions.min; v <= c.versions.max; v++) out.push([c, v]);
    return out;
  });
}
