// Apps started with port 0 announce the ports they actually bound in a structured `ready` log line,
// e.g. {"level":30,"msg":"ready","grpcPort":40123,"adminPort":40124}. That line is the contract
// between the service runtime and anything that launches it (this harness, the local runner).

export interface ReadyPorts {
  readonly grpcPort: number;
  readonly adminPort: number;
}

const isPort = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;

/** The bound ports if `line` is a JSON `ready` log line, else undefined (any other output). */
export function parseReadyLine(line: string): ReadyPorts | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let record: unknown;
  try {
    record = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const fields = record as Record<string, unknown>;
  if (fields['msg'] !== 'ready') return undefined;
  // Accept both flat fields and a nested `ports` object, so the harness survives either layout.
  const nested = typeof fields['ports'] === 'object' && fields['ports'] !== null ? (fields['ports'] as Record<string, unknown>) : {};
  const grpcPort = fields['grpcPort'] ?? nested['grpc'];
  const adminPort = fields['adminPort'] ?? nested['admin'];
  if (!isPort(grpcPort) || !isPort(adminPort)) return undefined;
  return { grpcPort, adminPort };
}
