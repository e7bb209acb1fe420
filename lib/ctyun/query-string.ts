/**
 * The query string CTyun signs, built exactly as the official Go SDK builds it with `url.Values.Encode()`:
 * keys sorted byte-wise, several values of one key kept in insertion order, keys and values escaped with
 * `url.QueryEscape` (space → `+`, everything but `A-Za-z0-9-_.~` percent-encoded as UTF-8, upper-case hex).
 * The same string goes into the URL and into the signature (shared/ctyun-api.md §1.4).
 */

export type QueryValue = string | number | boolean
/** Parameters as an object (arrays repeat a key; `undefined`/`null` are left out; `''` is kept) or as ordered pairs. */
export type QueryParams =
  | Readonly<Record<string, QueryValue | readonly QueryValue[] | null | undefined>>
  | Iterable<readonly [string, QueryValue]>

/**
 * Escapes one key or value like Go's `url.QueryEscape`.
 * @example goQueryEscape("a b/c*~'()!中") // 'a+b%2Fc%2A~%27%28%29%21%E4%B8%AD'
 */
export function goQueryEscape(text: string): string {
  // encodeURIComponent leaves ! ' ( ) * alone and writes space as %20; Go escapes those and writes space as +.
  return encodeURIComponent(text).replace(/%20|[!'()*]/g, (match) => (match === '%20' ? '+' : PERCENT[match]!))
}

const PERCENT: Record<string, string> = { '!': '%21', "'": '%27', '(': '%28', ')': '%29', '*': '%2A' }

/**
 * Builds the canonical (and sent) query string; `''` when there are no parameters.
 * @example canonicalQuery({ regionID: 'r1', pageNo: 1, azName: '' }) // 'azName=&pageNo=1&regionID=r1'
 */
export function canonicalQuery(params: QueryParams | undefined): string {
  if (!params) return ''
  const byKey = new Map<string, string[]>()
  const add = (key: string, value: QueryValue) => {
    const values = byKey.get(key)
    if (values) values.push(String(value))
    else byKey.set(key, [String(value)])
  }
  if (isPairs(params)) {
    for (const [key, value] of params) add(key, value)
  } else {
    for (const key of Object.keys(params)) {
      const value = params[key]
      if (value === undefined || value === null) continue
      if (Array.isArray(value)) for (const item of value as readonly QueryValue[]) add(key, item)
      else add(key, value as QueryValue)
    }
  }
  const keys = [...byKey.keys()].sort(compareUtf8)
  const parts: string[] = []
  for (const key of keys) {
    const escapedKey = goQueryEscape(key)
    for (const value of byKey.get(key)!) parts.push(`${escapedKey}=${goQueryEscape(value)}`)
  }
  return parts.join('&')
}

function isPairs(params: QueryParams): params is Iterable<readonly [string, QueryValue]> {
  return typeof (params as Iterable<unknown>)[Symbol.iterator] === 'function'
}

const utf8 = new TextEncoder()

/** Go's sort.Strings compares bytes; JS compares UTF-16 code units. They differ only beyond the BMP. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included
  if (/^[\x00-\x7f]*$/.test(a) && /^[\x00-\x7f]*$/.test(b)) return a < b ? -1 : 1
  const x = utf8.encode(a)
  const y = utf8.encode(b)
  const length = Math.min(x.length, y.length)
  for (let i = 0; i < length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}
