// The CLI's two failure kinds. Both end as one line on stderr, never a stack trace: a usage error
// exits 2 (as getopt-style tools do), anything else 1.

/** Bad arguments: the command line itself is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command was well-formed but could not be done (not found, unreachable, rejected ...). */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  /** The gRPC status when the failure came from the metadata service. */
  readonly grpcCode: number | undefined;

  constructor(message: string, options: { grpcCode?: number } = {}) {
    super(message);
    this.grpcCode = options.grpcCode;
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** One line for stderr; multi-line messages (e.g. from a server) are folded. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
