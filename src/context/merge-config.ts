import deepmerge from "deepmerge";

export type ConfigObject = Record<string, unknown>;

/** deepmerge's options (`arrayMerge`, `isMergeableObject`, `customMerge`, `clone`), as Probot takes them. */
export type MergeOptions = deepmerge.Options;

export function isPlainObject(value: unknown): value is ConfigObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * `defaults` with each layer laid over it in turn, as Probot 14 merges them: deepmerge with
 * the caller's options, so by default mappings merge key by key and lists are concatenated.
 * The layers are cached and shared between deliveries; they are copied first, because a
 * custom `arrayMerge` (or `clone: false`) may hand back the layer's own arrays.
 *
 * @example
 * mergeConfigs({ labels: ["bug"] }, [{ labels: ["docs"] }]); // { labels: ["bug", "docs"] }
 */
export function mergeConfigs(
  defaults: object | undefined | null,
  layers: readonly ConfigObject[],
  options?: MergeOptions,
): ConfigObject {
  return deepmerge.all([defaults ?? {}, ...structuredClone(layers)], options) as ConfigObject;
}
