// Naming rules from spec names to TypeScript names.

/** "ThrottleTimeMs" → "throttleTimeMs"; "KRaftVersion" → "kraftVersion". */
export function camelCase(name: string): string {
  const m = /^[A-Z]+(?=[A-Z][a-z]|$)/.exec(name);
  if (m && m[0].length > 1) return m[0].toLowerCase() + name.slice(m[0].length);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** "ProduceRequest" → "produce-request" (file names). */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** "ProduceRequest" → "PRODUCE_REQUEST" (constants). */
export function constantCase(name: string): string {
  return kebabCase(name).replace(/-/g, '_').toUpperCase();
}
