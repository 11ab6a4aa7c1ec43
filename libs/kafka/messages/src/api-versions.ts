// What the router advertises in ApiVersions, and which header versions an API version uses.
import { requestHeaderVersion, responseHeaderVersion, type RequestHeaderVersion, type ResponseHeaderVersion } from '@stratus/kafka-protocol';
import type { ApiTableEntry } from './api-types';
import { API_TABLE, UNSERVED_APIS } from './generated';

export interface AdvertisedApi {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

const BY_KEY: ReadonlyMap<number, ApiTableEntry> = new Map(API_TABLE.map((e) => [e.apiKey, e]));
const UNSERVED: ReadonlySet<number> = new Set(UNSERVED_APIS.map((u) => u.apiKey));

export function apiEntry(apiKey: number): ApiTableEntry | undefined {
  return BY_KEY.get(apiKey);
}

/**
 * The API version ranges Stratus advertises: every broker API except the deliberately unserved
 * ones, without a newest version the spec still marks unstable (as Kafka brokers do by default).
 */
export function advertisedApis(): AdvertisedApi[] {
  return API_TABLE.filter((e) => !UNSERVED.has(e.apiKey)).map((e) => ({
    apiKey: e.apiKey,
    minVersion: e.minVersion,
    maxVersion: e.latestVersionUnstable ? e.maxVersion - 1 : e.maxVersion,
  }));
}

export function isFlexibleVersion(entry: ApiTableEntry, apiVersion: number): boolean {
  return entry.flexibleMinVersion !== null && apiVersion >= entry.flexibleMinVersion;
}

/** Request header version of an API version, or undefined for an unknown API key. */
export function requestHeaderVersionFor(apiKey: number, apiVersion: number): RequestHeaderVersion | undefined {
  const entry = BY_KEY.get(apiKey);
  return entry === undefined ? undefined : requestHeaderVersion({ apiKey, apiVersion, flexible: isFlexibleVersion(entry, apiVersion) });
}

/** Response header version of an API version (ApiVersions always v0, KIP-511), or undefined. */
export function responseHeaderVersionFor(apiKey: number, apiVersion: number): ResponseHeaderVersion | undefined {
  const entry = BY_KEY.get(apiKey);
  return entry === undefined ? undefined : responseHeaderVersion({ apiKey, flexible: isFlexibleVersion(entry, apiVersion) });
}
