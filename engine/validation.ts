import type { ZodError } from 'zod';

/** One line per problem, each naming the field path: "techniques.0: ATT&CK technique ids look like T1110". */
export function formatZodError(err: ZodError): string {
  return err.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
