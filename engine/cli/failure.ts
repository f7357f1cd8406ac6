/** A command that ran but did not fully succeed; `reported` means its details were already printed. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly reported = false,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}
