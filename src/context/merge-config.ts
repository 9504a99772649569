export type ConfigObject = Record<string, unknown>;

// Keys that would reach Object.prototype if assigned: a repository's YAML must not set them.
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function isPlainObject(value: unknown): value is ConfigObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * A new object: `base` with `override` laid over it. Mappings merge key by key, recursively;
 * lists and scalars replace (concatenating lists would leave no way to remove a default entry).
 */
export function mergeConfig(base: ConfigObject, override: ConfigObject): ConfigObject {
  const merged: ConfigObject = {};
  for (const source of [base, override]) {
    for (const [key, value] of Object.entries(source)) {
      if (UNSAFE_KEYS.has(key)) continue;
      const current = merged[key];
      merged[key] =
        isPlainObject(current) && isPlainObject(value)
          ? mergeConfig(current, value)
          : isPlainObject(value)
            ? mergeConfig({}, value)
            : Array.isArray(value)
              ? structuredClone(value)
              : value;
    }
  }
  return merged;
}

export { isPlainObject };
