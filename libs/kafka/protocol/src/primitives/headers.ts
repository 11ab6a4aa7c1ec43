// Request header v0–v2 and response header v0–v1 (Kafka's RequestHeader/ResponseHeader specs).
// v2 / v1 are the flexible headers of KIP-482: they end with tagged fields. The client id stays a
// classic (non-compact) nullable string even in v2, so that a broker can always read it before
// it knows whether the API version is flexible.
import { ProtocolDecodeError } from './errors';
import { Reader } from './reader';
import { sizeOfString, sizeOfUnknownTaggedFields, sizeOfUnsignedVarint, type UnknownTaggedField } from './sizes';
import { Writer } from './writer';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** Present from header v1; null when the client sent none. */
  clientId: string | null;
  /** Tagged fields of header v2 this code does not know, kept for round trips. */
  _unknownTaggedFields?: UnknownTaggedField[];
}

export interface ResponseHeader {
  correlationId: number;
  _unknownTaggedFields?: UnknownTaggedField[];
}

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

function checkVersion(version: number, max: number, what: string): void {
  if (!Number.isInteger(version) || version < 0 || version > max) {
    throw new ProtocolDecodeError('unsupported_version', 0, `${what} version ${version}`);
  }
}

function readTaggedFields(r: Reader): UnknownTaggedField[] | undefined {
  const count = r.readTaggedFieldCount();
  if (count === 0) return undefined;
  const fields: UnknownTaggedField[] = [];
  for (let i = 0; i < count; i++) {
    const tag = r.readUnsignedVarint();
    fields.push(r.readUnknownTaggedField(tag, r.readTaggedFieldSize()));
  }
  return fields;
}

function sizeOfTaggedFields(fields: UnknownTaggedField[] | undefined): number {
  return sizeOfUnsignedVarint(fields?.length ?? 0) + sizeOfUnknownTaggedFields(fields);
}

function writeTaggedFields(w: Writer, fields: UnknownTaggedField[] | undefined): void {
  w.writeUnsignedVarint(fields?.length ?? 0);
  for (const field of fields ?? []) w.writeUnknownTaggedField(field);
}

/** Decodes a request header; the reader is left at the first byte of the request body. */
export function decodeRequestHeader(r: Reader, version: RequestHeaderVersion): RequestHeader {
  checkVersion(version, 2, 'request header');
  const header: RequestHeader = {
    apiKey: r.readInt16(),
    apiVersion: r.readInt16(),
    correlationId: r.readInt32(),
    clientId: version >= 1 ? r.readNullableString() : null,
  };
  if (version >= 2) {
    const unknown = readTaggedFields(r);
    if (unknown !== undefined) header._unknownTaggedFields = unknown;
  }
  return header;
}

export function sizeOfRequestHeader(header: RequestHeader, version: RequestHeaderVersion): number {
  let size = 8;
  if (version >= 1) size += sizeOfString(header.clientId);
  if (version >= 2) size += sizeOfTaggedFields(header._unknownTaggedFields);
  return size;
}

export function writeRequestHeader(w: Writer, header: RequestHeader, version: RequestHeaderVersion): void {
  w.writeInt16(header.apiKey);
  w.writeInt16(header.apiVersion);
  w.writeInt32(header.correlationId);
  if (version >= 1) w.writeNullableString(header.clientId);
  if (version >= 2) writeTaggedFields(w, header._unknownTaggedFields);
}

export function decodeResponseHeader(r: Reader, version: ResponseHeaderVersion): ResponseHeader {
  checkVersion(version, 1, 'response header');
  const header: ResponseHeader = { correlationId: r.readInt32() };
  if (version >= 1) {
    const unknown = readTaggedFields(r);
    if (unknown !== undefined) header._unknownTaggedFields = unknown;
  }
  return header;
}

export function sizeOfResponseHeader(header: ResponseHeader, version: ResponseHeaderVersion): number {
  return 4 + (version >= 1 ? sizeOfTaggedFields(header._unknownTaggedFields) : 0);
}

export function writeResponseHeader(w: Writer, header: ResponseHeader, version: ResponseHeaderVersion): void {
  w.writeInt32(header.correlationId);
  if (version >= 1) writeTaggedFields(w, header._unknownTaggedFields);
}

/** API key of ApiVersions, whose response header is special (KIP-511). */
export const API_VERSIONS_KEY = 18;
/** API key of ControlledShutdown, whose v0 request used header v0. */
export const CONTROLLED_SHUTDOWN_KEY = 7;

/**
 * Request header version for an API version: flexible API versions use v2 (KIP-482), others v1;
 * only ControlledShutdown v0 predates client ids and uses v0.
 */
export function requestHeaderVersion(options: {
  apiKey: number;
  apiVersion: number;
  flexible: boolean;
}): RequestHeaderVersion {
  if (options.flexible) return 2;
  if (options.apiKey === CONTROLLED_SHUTDOWN_KEY && options.apiVersion === 0) return 0;
  return 1;
}

/**
 * Response header version: flexible API versions use v1, except ApiVersions which always answers
 * with v0 so a client that sent a version the broker does not support can still parse the error
 * and the supported ranges (KIP-511).
 */
export function responseHeaderVersion(options: { apiKey: number; flexible: boolean }): ResponseHeaderVersion {
  if (options.apiKey === API_VERSIONS_KEY) return 0;
  return options.flexible ? 1 : 0;
}
