// Node 20's and today's Chromium's JSON.parse messages no longer say where they stopped, so
// the offset is found by a small scan of JSON's grammar, run only on text that failed to parse.
const LITERALS = ["true", "false", "null"];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON forbids raw control characters (below U+0020) inside a string.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Stop {
  constructor(readonly at: number) {}
}

function scan(text: string): void {
  let at = 0;
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at]!)) at += 1;
  };
  const expect = (char: string) => {
    space();
    if (text[at] !== char) throw new Stop(at);
    at += 1;
  };
  const match = (pattern: RegExp) => {
    pattern.lastIndex = at;
    const found = pattern.exec(text);
    if (!found) throw new Stop(at);
    at += found[0].length;
  };
  function value(): void {
    space();
    const char = text[at];
    if (char === "{") return members("}", () => (match(STRING), expect(":"), value()));
    if (char === "[") return members("]", value);
    if (char === '"') return match(STRING);
    const literal = LITERALS.find((word) => text.startsWith(word, at));
    if (literal) return void (at += literal.length);
    match(NUMBER);
  }
  function members(close: string, member: () => void): void {
    at += 1;
    space();
    if (text[at] === close) return void (at += 1);
    for (;;) {
      space();
      member();
      space();
      if (text[at] === close) return void (at += 1);
      expect(",");
    }
  }
  value();
  space();
  if (at < text.length) throw new Stop(at);
}

/** Where `text` stops being JSON, as `line 3, column 7`; undefined when it is JSON. */
export function jsonErrorPosition(text: string): string | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.at).split("\n");
    return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
  }
}
