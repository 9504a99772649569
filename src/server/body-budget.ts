/** One request's share of the budget: what it has taken, given back at once by `release`. */
export interface BodyClaim {
  /** Takes `bytes` more; false (taking nothing) when the budget cannot spare them. */
  take(bytes: number): boolean;
  release(): void;
}

/**
 * The bytes of request bodies held at once, across every request. Each body is buffered whole
 * before its signature can be checked (the HMAC covers all of it), so without a shared bound
 * strangers sending many large bodies with bad signatures decide how much memory the process
 * uses; over the budget a request is answered 503 instead.
 */
export interface BodyBudget {
  readonly maxBytes: number;
  inUse(): number;
  claim(): BodyClaim;
}

export function createBodyBudget(maxBytes: number): BodyBudget {
  let used = 0;
  return {
    maxBytes,
    inUse: () => used,
    claim() {
      let held = 0;
      return {
        take(bytes) {
          if (used + bytes > maxBytes) return false;
          used += bytes;
          held += bytes;
          return true;
        },
        release() {
          used -= held;
          held = 0;
        },
      };
    },
  };
}
