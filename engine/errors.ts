/** Error kinds a user can act on; the CLI maps them to exit codes and the API to error codes. */
export type QuarryErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'query_failed'
  | 'connection_failed'
  | 'cancelled'
  | 'conflict'
  /** A window asked for something only the user may choose (a file path not picked in a dialog). */
  | 'forbidden'
  | 'internal';

export class QuarryError extends Error {
  constructor(
    readonly code: QuarryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QuarryError';
  }
}

export const notFound = (what: string, asked: string): QuarryError =>
  new QuarryError('not_found', `${what} not found: ${asked}`);

export const invalidInput = (message: string): QuarryError => new QuarryError('invalid_input', message);

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
