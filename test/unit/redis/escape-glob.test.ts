import { describe, expect, it } from "@jest/globals";
import { escapeGlob } from "../../../src/redis/escape-glob.js";

/**
 * Redis's glob matcher (stringmatchlen in util.c): `*`, `?`, `[...]` with `^` and ranges,
 * and `\` quoting the next character, inside brackets too.
 */
function redisMatch(pattern: string, text: string): boolean {
  const from = (p: number, s: number): boolean => {
    while (p < pattern.length) {
      const c = pattern[p];
      if (c === "*") {
        while (pattern[p + 1] === "*") p += 1;
        if (p + 1 === pattern.length) return true;
        for (let i = s; i <= text.length; i += 1) if (from(p + 1, i)) return true;
        return false;
      }
      if (s >= text.length) return false;
      if (c === "?") {
        p += 1;
        s += 1;
        continue;
      }
      if (c === "[") {
        p += 1;
        const negate = pattern[p] === "^";
        if (negate) p += 1;
        let matched = false;
        while (p < pattern.length && pattern[p] !== "]") {
          if (pattern[p] === "\\" && p + 1 < pattern.length) {
            p += 1;
            if (pattern[p] === text[s]) matched = true;
          } else if (pattern[p + 1] === "-" && p + 2 < pattern.length) {
            const [low, high] = [pattern[p]!, pattern[p + 2]!].sort();
            if (text[s]! >= low! && text[s]! <= high!) matched = true;
            p += 2;
          } else if (pattern[p] === text[s]) matched = true;
          p += 1;
        }
        if (matched === negate) return false;
        p += 1;
        s += 1;
        continue;
      }
      if (c === "\\" && p + 1 < pattern.length) p += 1;
      if (pattern[p] !== text[s]) return false;
      p += 1;
      s += 1;
    }
    return s === text.length;
  };
  return from(0, 0);
}

const tricky = [
  "plain",
  "*",
  "?",
  "[",
  "]",
  "\\",
  "a*b",
  "a?b",
  "[ab]",
  "[^a]",
  "[a-z]",
  "x\\*",
  "\\[",
  "^-",
  "https://api.github.com 4242 17 *",
  "https://api.github.com 4242 1 ",
  "héllo wörld ✓",
  "",
];

const nearMisses = (text: string) => [
  `${text}x`,
  `x${text}`,
  text.slice(1),
  text.slice(0, -1),
  "",
  "a",
  "ab",
  "axb",
  "b",
  "\\",
  "*",
  "x",
  "https://api.github.com 4242 17 x",
  "https://api.github.com 4242 1 7",
];

describe("redisMatch (the reference matcher this file relies on)", () => {
  it("treats unescaped glob characters as Redis does", () => {
    expect(redisMatch("a*b", "axxb")).toBe(true);
    expect(redisMatch("a?b", "axb")).toBe(true);
    expect(redisMatch("[ab]", "b")).toBe(true);
    expect(redisMatch("[^a]", "b")).toBe(true);
    expect(redisMatch("[a-c]", "b")).toBe(true);
    expect(redisMatch("a\\*b", "axb")).toBe(false);
    expect(redisMatch("a\\*b", "a*b")).toBe(true);
    expect(redisMatch("x", "y")).toBe(false);
  });
});

describe("escapeGlob", () => {
  it("quotes exactly the characters Redis's glob treats specially", () => {
    expect(escapeGlob("a*b?c[d]e\\f")).toBe("a\\*b\\?c\\[d\\]e\\\\f");
    expect(escapeGlob("plain text ^-/:. 123")).toBe("plain text ^-/:. 123");
  });

  it.each(tricky)("as a pattern, %j matches only itself", (text) => {
    const pattern = escapeGlob(text);
    expect(redisMatch(pattern, text)).toBe(true);
    for (const other of nearMisses(text)) {
      if (other !== text) expect([other, redisMatch(pattern, other)]).toEqual([other, false]);
    }
  });

  it.each(tricky)("followed by *, %j matches exactly the keys that start with it", (prefix) => {
    const pattern = `${escapeGlob(prefix)}*`;
    const candidates = [...tricky, ...tricky.map((t) => `${prefix}${t}`), ...nearMisses(prefix)];
    for (const key of candidates) {
      expect([key, redisMatch(pattern, key)]).toEqual([key, key.startsWith(prefix)]);
    }
  });
});
