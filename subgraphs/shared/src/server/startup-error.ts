/**
 * A reason a service cannot start that the person starting it can fix (a port taken, a
 * database in use or missing): printed as one line saying what to do, without a stack.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
