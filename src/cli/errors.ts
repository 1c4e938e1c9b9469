/** An error whose message is already the one line the user should read; exits with `code`. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code: number = 2,
  ) {
    super(message);
  }
}
