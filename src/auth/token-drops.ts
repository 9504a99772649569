/** One dropped cache entry, or every entry under a prefix (all scopes of one installation). */
export type TokenDrop = { key: string } | { prefix: string };

export interface TokenDropListener {
  drop(drop: TokenDrop): void;
  /** Drops may have been lost (the channel was down): forget everything held locally. */
  missed(): void;
}

/** Tells every process sharing a token cache which entries to forget from memory. */
export interface TokenDropChannel {
  publish(drop: TokenDrop): Promise<void>;
  /** Hears every drop published, this process's own included. */
  subscribe(listener: TokenDropListener): void;
}
