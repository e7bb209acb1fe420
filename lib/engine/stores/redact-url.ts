/**
 * A store URL fit for an error message: every password replaced by `***`, the userinfo one and the query parameters
 * libpq and node-postgres also read a password from (`?password=…`, `?sslpassword=…` for the client key). Works on
 * strings that do not parse as URLs too, since the bad ones are exactly those that end up in errors.
 *
 * @example redactUrl('postgres://app:pw@db/x?sslmode=require&password=pw2') // 'postgres://app:***@db/x?sslmode=require&password=***'
 */
export function redactUrl(value: string): string {
  let text: string
  try {
    const url = new URL(value)
    if (url.password) url.password = '***'
    text = url.toString()
  } catch {
    text = value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@')
  }
  return mapSecretParams(text, (name) => `${name}=***`)
}

/**
 * The password values a store URL carries (decoded), for scrubbing messages that a driver may have built from them.
 * @example urlSecrets('postgres://u:p%40ss@h/d?password=x') // ['p@ss', 'x']
 */
export function urlSecrets(value: string): string[] {
  const secrets: string[] = []
  try {
    const password = new URL(value).password
    if (password) secrets.push(decode(password), password)
  } catch {
    // not a URL: the query parameters below may still be there
  }
  mapSecretParams(value, (_name, raw) => {
    if (raw) secrets.push(decode(raw), raw)
    return ''
  })
  return [...new Set(secrets)].filter((secret) => secret.length > 0)
}

// node-postgres (pg-connection-string) and libpq take these from the query string as the password.
const SECRET_PARAMS = new Set(['password', 'sslpassword'])

/** Rewrites each `name=value` query parameter whose decoded name is a password parameter; the rest stays as written. */
function mapSecretParams(text: string, replace: (name: string, raw: string) => string): string {
  const query = text.indexOf('?')
  if (query < 0) return text
  const hash = text.indexOf('#', query)
  const end = hash < 0 ? text.length : hash
  const params = text
    .slice(query + 1, end)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=')
      const name = eq < 0 ? param : param.slice(0, eq)
      // A percent-encoded name (`pass%77ord`) is decoded by the driver, so it counts as the same parameter.
      return SECRET_PARAMS.has(decode(name).toLowerCase()) ? replace(name, eq < 0 ? '' : param.slice(eq + 1)) : param
    })
  return `${text.slice(0, query + 1)}${params.join('&')}${text.slice(end)}`
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}
