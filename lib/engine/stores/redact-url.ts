/**
 * A store URL fit for an error message: the password (if any) replaced by `***`. Works on strings that do not
 * parse as URLs too, since the bad ones are exactly those that end up in errors.
 */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@')
  }
}
