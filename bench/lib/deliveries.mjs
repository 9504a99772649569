// Signed webhook deliveries built from the repository's real fixtures.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Buffer } from "node:buffer";

const fixture = (name) =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/webhooks/${name}.json`, import.meta.url), "utf8"),
  );

export function signature(secret, body) {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function delivery(secret, event, payload) {
  const body = Buffer.from(JSON.stringify(payload));
  return { id: randomUUID(), event, body, signature: signature(secret, body) };
}

/** An `issues.opened` for `installation`; the owner login names the installation (see fake-github). */
export function issueOpened(secret, installation, number) {
  const payload = fixture("issues.opened");
  const owner = `inst-${installation}`;
  payload.installation = { id: installation, node_id: `MDIz${installation}` };
  payload.issue.number = number;
  payload.repository.owner.login = owner;
  payload.repository.name = "bench";
  payload.repository.full_name = `${owner}/bench`;
  return delivery(secret, "issues", payload);
}

/** `count` issue deliveries spread round-robin over installations first..first+n-1. */
export function issueDeliveries(secret, { count, installations, first = 1 }) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(issueOpened(secret, first + (i % installations), i + 1));
  return out;
}

/** A push whose commits are repeated until the body is about `bytes` long. */
export function largePush(secret, bytes, installation = 1) {
  const payload = fixture("push");
  payload.installation = { id: installation };
  const commit = payload.commits[0];
  const one = Buffer.byteLength(JSON.stringify(commit)) + 1;
  const base = Buffer.byteLength(JSON.stringify(payload));
  const copies = Math.max(1, Math.ceil((bytes - base) / one));
  payload.commits = Array.from({ length: copies }, (_, i) => ({
    ...commit,
    id: i.toString(16).padStart(40, "0"),
  }));
  return delivery(secret, "push", payload);
}

/** A delivery with the same body under a fresh delivery id (GitHub's id is per delivery). */
export const again = (d) => ({ ...d, id: randomUUID() });

/** Small deliveries the bench plugins ignore: they warm the receive path without API calls. */
export function ignored(secret, count) {
  const payload = fixture("push");
  payload.installation = { id: 999_999 };
  const base = delivery(secret, "push", payload);
  return Array.from({ length: count }, () => again(base));
}
