/** One command line found in a comment: `/label bug "needs review"`. */
export interface CommandLine {
  /** Lower-cased, without the prefix. */
  name: string;
  /** The words after the name; quotes group words and are dropped. */
  argv: string[];
  /** The line as written, trimmed. */
  line: string;
}

const NAME = /^([A-Za-z][\w-]*)(?:\s+|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Splits on whitespace; "double" or 'single' quotes keep a phrase together. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? "");
  }
  return words;
}

/**
 * The command lines of a comment, in order: lines starting with `prefix` and a name. Code
 * (fenced or indented by four spaces) and quoted text (`> …`) are skipped: a comment that
 * quotes or shows a command is talking about it, not running it.
 *
 * @example
 * findCommandLines("Please\n/label bug urgent\n> /close", "/")
 * // [{ name: "label", argv: ["bug", "urgent"], line: "/label bug urgent" }]
 */
export function findCommandLines(body: string | null | undefined, prefix = "/"): CommandLine[] {
  const found: CommandLine[] = [];
  // A fence closes only on the same character, at least as long as it opened with.
  let fence: string | undefined;
  for (const raw of (body ?? "").split(/\r?\n/)) {
    const opening = FENCE.exec(raw)?.[1];
    if (fence !== undefined) {
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) {
        fence = undefined;
      }
      continue;
    }
    if (opening !== undefined) {
      fence = opening;
      continue;
    }
    if (/^( {4}|\t)/.test(raw)) continue;
    const line = raw.trim();
    if (!line.startsWith(prefix)) continue;
    const rest = line.slice(prefix.length);
    const name = NAME.exec(rest);
    if (name === null) continue;
    found.push({
      name: name[1]!.toLowerCase(),
      argv: splitWords(rest.slice(name[0].length)),
      line,
    });
  }
  return found;
}

/**
 * The lines of `after` that were not already in `before`, counting repeats: editing a
 * comment runs only the commands the edit added, never one a second time.
 */
export function addedCommandLines(after: CommandLine[], before: CommandLine[]): CommandLine[] {
  const seen = new Map<string, number>();
  const key = (command: CommandLine) => [command.name, ...command.argv].join("\u0000");
  for (const command of before) seen.set(key(command), (seen.get(key(command)) ?? 0) + 1);
  return after.filter((command) => {
    const left = seen.get(key(command)) ?? 0;
    if (left === 0) return true;
    seen.set(key(command), left - 1);
    return false;
  });
}
