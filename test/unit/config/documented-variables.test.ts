import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";

const root = new URL("../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

/** Every variable src/config reads by name (`value(env, "X")`, `readInteger(env, "X", …)`). */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(new URL("src/config/", root))) {
    for (const match of read(`src/config/${file}`).matchAll(/\(env, "([A-Z][A-Z0-9_]+)"/g)) {
      names.add(match[1]!);
    }
  }
  return [...names].sort();
}

describe("configuration documentation", () => {
  it("README's Configuration table names every variable the configuration reads", () => {
    const section = read("README.md").split("## Configuration")[1]!.split("\n## ")[0]!;
    const names = variablesRead();
    expect(names).toEqual(expect.arrayContaining(["HTTP_MAX_CONNECTIONS", "PUBLIC_URL"]));
    expect(names.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });

  it(".env.example mentions every HTTP limit and PUBLIC_URL", () => {
    const example = read(".env.example");
    const wanted = variablesRead().filter((name) =>
      /^(HTTP_|REQUEST_BODY_|PUBLIC_URL|NODE_ENV)/.test(name),
    );
    expect(wanted.filter((name) => !example.includes(`${name}=`))).toEqual([]);
  });
});
