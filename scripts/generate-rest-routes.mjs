// Builds fixtures/github-rest/routes.json.gz, the compact route table the fake GitHub answers
// documented routes from, out of GitHub's published REST description (@octokit/openapi).
// The description unpacks to ~400 MB, so it is read here, once, and never shipped:
//   npm pack @octokit/openapi@23.0.2 && tar xzf octokit-openapi-23.0.2.tgz
//   node scripts/generate-rest-routes.mjs package/generated/api.github.com.json
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const [input, version = "23.0.2"] = process.argv.slice(2);
if (!input) {
  console.error("usage: node scripts/generate-rest-routes.mjs <api.github.com.json> [version]");
  process.exit(2);
}
const spec = JSON.parse(readFileSync(input, "utf8"));
const METHODS = ["get", "post", "put", "patch", "delete"];

function resolve(node, seen = 0) {
  if (node && typeof node === "object" && typeof node.$ref === "string" && seen < 20) {
    const target = node.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((value, key) => value?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
    return resolve(target, seen + 1);
  }
  return node;
}

function requiredFields(operation) {
  const body = resolve(operation.requestBody);
  if (!body?.required) return [];
  const schema = resolve(body.content?.["application/json"]?.schema);
  if (!schema || schema.type !== "object" || !Array.isArray(schema.required)) return [];
  return schema.required;
}

function example(response) {
  const media = resolve(response)?.content?.["application/json"];
  if (!media) return null;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  return first === undefined ? null : (resolve(first)?.value ?? null);
}

const routes = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    const statuses = Object.keys(operation.responses ?? {}).filter((code) =>
      /^[23]\d\d$/.test(code),
    );
    const status = Number(statuses.sort()[0] ?? 200);
    const response = operation.responses?.[String(status)];
    routes.push([
      method.toUpperCase(),
      path,
      status,
      requiredFields(operation),
      example(response),
      operation.externalDocs?.url ?? null,
    ]);
  }
}
const out = fileURLToPath(new URL("../fixtures/github-rest/", import.meta.url));
mkdirSync(out, { recursive: true });
const json = JSON.stringify({ source: `@octokit/openapi@${version} api.github.com.json`, routes });
writeFileSync(`${out}routes.json.gz`, gzipSync(json, { level: 9 }));
console.log(
  `${routes.length} routes, ${json.length} bytes, gzipped to ${gzipSync(json, { level: 9 }).length}`,
);
