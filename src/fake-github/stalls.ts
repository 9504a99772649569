import type { TrickleOptions } from "./types.js";

/** The reason a stalled answer ends when the fake closes: no caller is left waiting forever. */
function closedError(): Error {
  return new Error("the fake GitHub was closed while this request was stalled");
}

/** What fetch rejects with once `signal` has aborted. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

export interface Stalls {
  /** Never answers: rejects once the request is aborted (as fetch does) or the fake closes. */
  hang(signal: AbortSignal): Promise<never>;
  /** The same answer with its headers at once and its body a few bytes per interval. */
  trickle(response: Response, options: TrickleOptions, signal: AbortSignal): Promise<Response>;
  /** Ends every stall still running, clearing its timers. */
  closeAll(): void;
}

/**
 * Slow answers on demand, for testing timeouts against a GitHub that hangs or trickles.
 * Every stall registers how to end it, so `close()` leaves no timer or promise behind.
 */
export function createStalls(): Stalls {
  const running = new Set<() => void>();

  function track(signal: AbortSignal, end: (reason: unknown) => void): () => void {
    const onAbort = () => stop(abortReason(signal));
    const onClose = () => stop(closedError());
    function stop(reason: unknown) {
      signal.removeEventListener("abort", onAbort);
      running.delete(onClose);
      end(reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
    running.add(onClose);
    if (signal.aborted) onAbort();
    return () => {
      signal.removeEventListener("abort", onAbort);
      running.delete(onClose);
    };
  }

  return {
    hang(signal) {
      return new Promise<never>((_, reject) => void track(signal, reject));
    },
    async trickle(response, { bytesPerChunk = 1, intervalMs = 100 }, signal) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length === 0) return new Response(null, response);
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      let untrack = () => {};
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          untrack = track(signal, (reason) => {
            clearTimeout(timer);
            controller.error(reason);
          });
        },
        pull(controller) {
          return new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              const end = Math.min(bytes.length, sent + Math.max(1, bytesPerChunk));
              controller.enqueue(bytes.slice(sent, end));
              sent = end;
              if (sent >= bytes.length) {
                untrack();
                controller.close();
              }
              resolve();
            }, intervalMs);
          });
        },
        cancel() {
          clearTimeout(timer);
          untrack();
        },
      });
      const headers = new Headers(response.headers);
      headers.set("content-length", String(bytes.length));
      return new Response(body, { status: response.status, headers });
    },
    closeAll() {
      for (const close of [...running]) close();
    },
  };
}
