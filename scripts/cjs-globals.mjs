// Injected into the CommonJS bundle (scripts/build-cjs.mjs): jest ≤ 27's node environment gives
// a test only some of Node's globals (no fetch, Response, Headers, AbortController, crypto, ...),
// and Probot apps' tests of that age run there. The bundle takes what the test's global lacks
// from Node's own: vm.runInThisContext runs in the main context, not the test's. The test's
// globals are left as they are.
import { runInThisContext } from "vm";

const own = runInThisContext("globalThis");
const pick = (name) => globalThis[name] ?? own[name];

// Looked up at each call, so a fetch a test puts on its global later (nock 14) is the one used.
export const fetch = (input, init) => pick("fetch")(input, init);
export const Response = pick("Response");
export const Request = pick("Request");
export const Headers = pick("Headers");
export const FormData = pick("FormData");
export const Blob = pick("Blob");
export const AbortController = pick("AbortController");
export const AbortSignal = pick("AbortSignal");
export const ReadableStream = pick("ReadableStream");
export const TextDecoder = pick("TextDecoder");
export const TextEncoder = pick("TextEncoder");
export const URL = pick("URL");
export const URLSearchParams = pick("URLSearchParams");
export const DOMException = pick("DOMException");
export const Event = pick("Event");
export const EventTarget = pick("EventTarget");
export const performance = pick("performance");
export const crypto = pick("crypto");
export const structuredClone = pick("structuredClone");
export const atob = pick("atob");
export const btoa = pick("btoa");
