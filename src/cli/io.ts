import type { Env } from "../config/read-config.js";

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface CliIo {
  env: Env;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty: boolean;
  /** Registers a handler for SIGTERM and SIGINT. */
  onShutdown: (handler: () => void) => void;
  /**
   * All of standard input, for commands that read a protocol there (`git-credential`).
   * Optional so an io built for commands that never read stdin need not provide it.
   */
  readStdin?: () => Promise<string>;
  /** True when standard input is a terminal: nothing was piped in, so it is not read. */
  stdinIsTty?: boolean;
  /** Child processes (`exec`) share this process's terminal instead of piping to io. */
  inheritStdio?: boolean;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
    stdinIsTty: process.stdin.isTTY === true,
    inheritStdio: true,
    onShutdown: (handler) => {
      process.once("SIGTERM", handler);
      process.once("SIGINT", handler);
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}
