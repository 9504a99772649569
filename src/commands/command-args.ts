/** One argument of a command's usage: `<name>`, `[name]`, `<name...>` or `[name...]`. */
export interface ArgSpec {
  name: string;
  required: boolean;
  variadic: boolean;
}

/** What a command's words became: by argument name; a variadic one is a list. */
export type CommandArgs = Record<string, string | string[] | undefined>;

export type BoundArgs = { ok: true; args: CommandArgs } | { ok: false; message: string };

const ARG = /^(<|\[)([A-Za-z][\w-]*)(\.\.\.)?(>|\])$/;

/**
 * Parses a usage string, e.g. `"<labels...>"` or `"<user> [reason...]"`; throws at load
 * time on a malformed one, so a plugin's mistake shows before any comment arrives.
 */
export function parseArgSpec(usage: string | undefined, command: string): ArgSpec[] {
  const specs: ArgSpec[] = [];
  for (const word of (usage ?? "").trim().split(/\s+/).filter(Boolean)) {
    const match = ARG.exec(word);
    if (match === null || (match[1] === "<") !== (match[4] === ">")) {
      throw new Error(
        `command "${command}": argument "${word}" is not <name>, [name] or <name...>`,
      );
    }
    const previous = specs.at(-1);
    if (previous?.variadic) {
      throw new Error(`command "${command}": only the last argument may be variadic (...)`);
    }
    const required = match[1] === "<";
    if (required && previous && !previous.required) {
      throw new Error(`command "${command}": required <${match[2]}> after an optional argument`);
    }
    specs.push({ name: match[2]!, required, variadic: match[3] !== undefined });
  }
  return specs;
}

/** The usage as written back for help and errors: `<labels...>`. */
export function formatArgSpec(specs: ArgSpec[]): string {
  return specs
    .map(({ name, required, variadic }) => {
      const inner = `${name}${variadic ? "..." : ""}`;
      return required ? `<${inner}>` : `[${inner}]`;
    })
    .join(" ");
}

/** Gives each word to its argument; says what is missing or too much. */
export function bindArgs(specs: ArgSpec[], argv: string[]): BoundArgs {
  const args: CommandArgs = {};
  let index = 0;
  for (const spec of specs) {
    if (spec.variadic) {
      const rest = argv.slice(index);
      index = argv.length;
      if (spec.required && rest.length === 0) {
        return { ok: false, message: `missing <${spec.name}...>` };
      }
      args[spec.name] = rest;
      continue;
    }
    const word = argv[index];
    if (word === undefined) {
      if (spec.required) return { ok: false, message: `missing <${spec.name}>` };
      continue;
    }
    args[spec.name] = word;
    index += 1;
  }
  if (index < argv.length) {
    const extra = argv.slice(index).join(" ");
    return { ok: false, message: `unexpected "${extra}"` };
  }
  return { ok: true, args };
}
