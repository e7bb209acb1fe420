export const SIGN_IN_CODE_TTL_MS = 5 * 60_000

/** One-time sign-in codes: a link that signs a browser in without the API token in the URL. */
export interface SignInCodes {
  /** A new code, valid once for `ttlMs`. */
  issue(): string
  /** True once for a code issued and unexpired; the code is spent either way. */
  redeem(code: string): boolean
}

/**
 * Short-lived, single-use codes kept in this process (`ctflow demo --console` prints a link holding one). A code is 32
 * random bytes, so it cannot be guessed; it is spent on first use, so a link seen later in a history or log is dead.
 * @example const codes = createSignInCodes(); const url = `${base}/console/sign-in?code=${codes.issue()}`
 */
export function createSignInCodes(options: { ttlMs?: number; now?: () => number } = {}): SignInCodes {
  const { ttlMs = SIGN_IN_CODE_TTL_MS, now = () => Date.now() } = options
  const codes = new Map<string, number>()
  return {
    issue() {
      const at = now()
      for (const [code, expiresAt] of codes) if (expiresAt <= at) codes.delete(code)
      const code = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
      codes.set(code, at + ttlMs)
      return code
    },
    redeem(code) {
      const expiresAt = codes.get(code)
      codes.delete(code)
      return expiresAt !== undefined && expiresAt > now()
    },
  }
}
