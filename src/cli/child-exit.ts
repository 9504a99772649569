/** A child command's exit status, passed on as hookwright's own (`exec`); it prints nothing. */
export class ChildExit extends Error {
  constructor(readonly exitCode: number) {
    super(`the command exited with ${exitCode}`);
  }
}
