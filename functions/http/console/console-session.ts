import type { Context } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import { constantTimeEqual, sha256Hex } from '../constant-time'

export const SESSION_COOKIE = 'ctflow_console'
export const SESSION_TTL_MS = 8 * 3_600_000

export interface ConsoleSession {
  id: string
  expiresAt: number
}

export interface ConsoleSessions {
  /** Starts a session: sets the signed cookie (HttpOnly, SameSite=Strict, Secure over https, 8 h). */
  start(c: Context): Promise<ConsoleSession>
  /** The request's session, if its cookie is signed by this server, unexpired and not ended. */
  read(c: Context): Promise<ConsoleSession | undefined>
  /** Ends a session: the cookie is cleared and the id refused until it would have expired. */
  end(c: Context, session: ConsoleSession): void
  /** The form token of a session (hidden `csrf` field of every POST form): an HMAC of its id. */
  formToken(session: ConsoleSession): Promise<string>
  checkFormToken(session: ConsoleSession, presented: string | undefined): Promise<boolean>
}

/**
 * Console sessions as signed cookies (Hono's signed cookie: HMAC-SHA256 through Web Crypto), no server-side store, so
 * any instance of the function can read them. The key is derived from CTFLOW_API_TOKEN: changing the token ends every
 * session. The cookie holds `<expiry ms>.<random id>` and never the token. An ended session's id is remembered by this
 * process until it expires (the browser's cookie is cleared too; another FaaS instance only sees the cleared cookie).
 * @example const sessions = createConsoleSessions({ apiToken }); if (!(await sessions.read(c))) return c.redirect('/console')
 */
export function createConsoleSessions(options: {
  apiToken: string
  now?: () => number
  ttlMs?: number
}): ConsoleSessions {
  const { apiToken, now = () => Date.now(), ttlMs = SESSION_TTL_MS } = options
  const cookieKey = sha256Hex(`ctflow console session\u0000${apiToken}`)
  const formKey = sha256Hex(`ctflow console form\u0000${apiToken}`).then((hex) =>
    crypto.subtle.importKey('raw', new TextEncoder().encode(hex), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
  )
  const ended = new Map<string, number>()

  const cookieOptions = (c: Context) => ({
    path: '/console',
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: isHttps(c),
  })

  return {
    async start(c) {
      const session = { id: randomId(), expiresAt: now() + ttlMs }
      await setSignedCookie(c, SESSION_COOKIE, `${session.expiresAt}.${session.id}`, await cookieKey, {
        ...cookieOptions(c),
        maxAge: Math.floor(ttlMs / 1000),
      })
      return session
    },

    async read(c) {
      const value = await getSignedCookie(c, await cookieKey, SESSION_COOKIE)
      if (!value) return undefined
      const match = /^(\d{1,16})\.([\w-]{16,64})$/.exec(value)
      if (!match) return undefined
      const session = { expiresAt: Number(match[1]), id: match[2]! }
      if (session.expiresAt <= now() || ended.has(session.id)) return undefined
      return session
    },

    end(c, session) {
      const at = now()
      for (const [id, expiresAt] of ended) if (expiresAt <= at) ended.delete(id)
      ended.set(session.id, session.expiresAt)
      deleteCookie(c, SESSION_COOKIE, cookieOptions(c))
    },

    async formToken(session) {
      const mac = await crypto.subtle.sign('HMAC', await formKey, new TextEncoder().encode(session.id))
      return Buffer.from(mac).toString('base64url')
    },

    async checkFormToken(session, presented) {
      if (!presented) return false
      return constantTimeEqual(presented, await this.formToken(session))
    },
  }
}

/**
 * Whether a request comes from another site: a browser says so in Sec-Fetch-Site, or an Origin that is not this
 * server's. A request with neither (curl, an old browser) is not cross-site by this test; the SameSite=Strict cookie and
 * the form token still stand in its way.
 */
export function isCrossSite(c: Context): boolean {
  const site = c.req.header('sec-fetch-site')
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true
  const origin = c.req.header('origin')
  if (origin === undefined) return false
  return origin !== new URL(c.req.url).origin
}

/** Served over https: the URL (the Lambda adapter builds https URLs) or a proxy's X-Forwarded-Proto. */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}

function randomId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64url')
}
