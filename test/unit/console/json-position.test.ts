import { describe, expect, it } from "@jest/globals";
import { jsonErrorPosition } from "../../../src/console/json-position.js";

describe("jsonErrorPosition", () => {
  it.each([
    ['{\n  "action": "opened",\n  "x": }', "line 3, column 8"],
    ['{"a": 1,}', "line 1, column 9"],
    ['{"a": tru}', "line 1, column 7"],
    ["[1, 2", "line 1, column 6"],
    ['{"a": "b\nc"}', "line 1, column 7"],
    ['{"a": 1} x', "line 1, column 10"],
    ["", "line 1, column 1"],
  ])("finds where %j stops being JSON: %s", (text, where) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorPosition(text)).toBe(where);
  });

  it.each(['{"a": [1, -2.5e3, true, null, {"b": "\\u00e9\\n"}]}', " [] ", '"x"'])(
    "finds nothing wrong in %j",
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonErrorPosition(text)).toBeUndefined();
    },
  );
});
