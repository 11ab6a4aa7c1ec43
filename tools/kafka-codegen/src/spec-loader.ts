// Reads Kafka's JSON message specs (a folder of *.json) into the type model.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIMITIVES, type FieldModel, type FieldType, type MessageKind, type MessageModel, type PrimitiveName, type StructModel } from './model';
import { camelCase } from './names';
import { NO_VERSIONS, hull, intersect, isEmpty, parseVersions, type VersionRange } from './versions';

interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  ignorable?: boolean;
  flexibleVersions?: string;
  mapKey?: boolean;
  entityType?: string;
  fields?: RawField[];
}

interface RawMessage {
  name: string;
  type: string;
  apiKey?: number;
  validVersions: string;
  flexibleVersions?: string;
  listeners?: string[];
  latestVersionUnstable?: boolean;
  fields?: RawField[];
  commonStructs?: { name: string; versions?: string; fields: RawField[] }[];
}

/** Removes // comments outside string literals (the specs carry a license header as comments). */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

export function loadSpecFolder(dir: string): MessageModel[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no Kafka message specs (*.json) in ${dir}`);
  return files.map((file) => {
    const raw = JSON.parse(stripJsonComments(readFileSync(join(dir, file), 'utf8'))) as RawMessage;
    try {
      return buildMessage(raw, file);
    } catch (error: unknown) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  });
}

function buildMessage(raw: RawMessage, file: string): MessageModel {
  const kind = raw.type as MessageKind;
  if (!['request', 'response', 'header', 'data'].includes(kind)) throw new Error(`unknown message type ${raw.type}`);
  const validVersions = parseVersions(raw.validVersions);
  const structs = new Map<string, StructModel>();
  const ordered: StructModel[] = [];
  const rawStructs = new Map<string, RawField[]>();
  const declare = (name: string, fields: RawField[]): void => {
    if (rawStructs.has(name)) throw new Error(`struct ${name} declared twice`);
    rawStructs.set(name, fields);
    const struct: StructModel = { name, tsName: raw.name + name, fields: [], reach: NO_VERSIONS };
    structs.set(name, struct);
    ordered.push(struct);
  };
  const collect = (fields: RawField[]): void => {
    for (const f of fields) {
      if (f.fields !== undefined) {
        declare(structTypeName(f.type), f.fields);
        collect(f.fields);
      }
    }
  };
  const root: StructModel = { name: raw.name, tsName: raw.name, fields: [], reach: validVersions };
  structs.set('', root);
  collect(raw.fields ?? []);
  for (const common of raw.commonStructs ?? []) {
    declare(common.name, common.fields);
    collect(common.fields);
  }
  const resolveType = (type: string): FieldType => {
    const array = type.startsWith('[]');
    const base = array ? type.slice(2) : type;
    let element: FieldType;
    if ((PRIMITIVES as readonly string[]).includes(base)) element = { kind: 'primitive', name: base as PrimitiveName };
    else {
      const struct = structs.get(base);
      if (struct === undefined) throw new Error(`unknown type ${type}`);
      element = { kind: 'struct', struct };
    }
    return array ? { kind: 'array', element } : element;
  };
  const buildFields = (fields: RawField[]): FieldModel[] =>
    fields.map((f) => {
      const field: FieldModel = {
        name: f.name,
        prop: camelCase(f.name),
        type: resolveType(f.type),
        versions: parseVersions(f.versions),
        nullableVersions: parseVersions(f.nullableVersions),
        taggedVersions: parseVersions(f.taggedVersions),
        tag: f.tag ?? null,
        defaultValue: f.default === undefined ? undefined : String(f.default),
        ignorable: f.ignorable === true,
        flexibleVersions: f.flexibleVersions === undefined ? null : parseVersions(f.flexibleVersions),
        mapKey: f.mapKey === true,
        entityType: f.entityType ?? null,
      };
      if ((field.tag === null) !== isEmpty(field.taggedVersions)) throw new Error(`${f.name}: tag and taggedVersions go together`);
      return field;
    });
  root.fields.push(...buildFields(raw.fields ?? []));
  for (const struct of ordered) struct.fields.push(...buildFields(rawStructs.get(struct.name) ?? []));
  // Which versions reach each struct: the hull over every field that holds it.
  const visit = (struct: StructModel, reach: VersionRange): void => {
    for (const field of struct.fields) {
      const element = field.type.kind === 'array' ? field.type.element : field.type;
      if (element.kind !== 'struct') continue;
      const r = intersect(reach, field.versions);
      if (isEmpty(r)) continue;
      const before = element.struct.reach;
      element.struct.reach = hull(before, r);
      if (before.min !== element.struct.reach.min || before.max !== element.struct.reach.max) visit(element.struct, element.struct.reach);
    }
  };
  visit(root, validVersions);
  return {
    name: raw.name,
    kind,
    apiKey: raw.apiKey ?? null,
    validVersions,
    flexibleVersions: parseVersions(raw.flexibleVersions),
    listeners: raw.listeners ?? [],
    latestVersionUnstable: raw.latestVersionUnstable === true,
    root,
    structs: [root, ...ordered.filter((s) => !isEmpty(s.reach))],
    file,
  };
}

function structTypeName(type: string): string {
  return type.startsWith('[]') ? type.slice(2) : type;
}
