/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a failure, but it succeeded');
}
