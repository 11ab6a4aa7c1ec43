// The handlers a listener serves, with version ranges clamped to what Stratus advertises (the
// generated API table minus unserved APIs and unstable versions). ApiVersions lists exactly these.
import { advertisedApis, type AdvertisedApi } from '@stratus/kafka-messages';
import type { ApiHandler } from './handler';

export interface ServedApi {
  readonly handler: ApiHandler;
  readonly minVersion: number;
  readonly maxVersion: number;
}

export class HandlerRegistry {
  private readonly byKey = new Map<number, ServedApi>();
  readonly advertised: readonly AdvertisedApi[];

  constructor(handlers: readonly ApiHandler[]) {
    const table = new Map(advertisedApis().map((a) => [a.apiKey, a]));
    for (const handler of handlers) {
      const row = table.get(handler.apiKey);
      if (!row) throw new Error(`${handler.name} (key ${handler.apiKey}) is not an API Stratus serves`);
      if (this.byKey.has(handler.apiKey)) throw new Error(`two handlers for API key ${handler.apiKey}`);
      const minVersion = Math.max(row.minVersion, handler.minVersion);
      const maxVersion = Math.min(row.maxVersion, handler.maxVersion);
      if (minVersion > maxVersion) throw new Error(`${handler.name}: no version in common with the API table`);
      this.byKey.set(handler.apiKey, { handler, minVersion, maxVersion });
    }
    this.advertised = [...this.byKey.entries()]
      .sort(([a], [b]) => a - b)
      .map(([apiKey, s]) => ({ apiKey, minVersion: s.minVersion, maxVersion: s.maxVersion }));
  }

  get(apiKey: number): ServedApi | undefined {
    return this.byKey.get(apiKey);
  }
}
