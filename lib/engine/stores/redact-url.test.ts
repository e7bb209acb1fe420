import { describe, expect, it } from 'vitest'
import { redactUrl, urlSecrets } from './redact-url'

describe('redactUrl', () => {
  it.each([
    ['postgres://app:hunter2@db:5432/ctflow', 'postgres://app:***@db:5432/ctflow'],
    ['postgres://app@db/ctflow?password=hunter2', 'postgres://app@db/ctflow?password=***'],
    [
      'postgres://app@db/ctflow?sslmode=verify-full&sslpassword=hunter2&application_name=x',
      'postgres://app@db/ctflow?sslmode=verify-full&sslpassword=***&application_name=x',
    ],
    [
      'postgres://app:hunter1@db/ctflow?password=hunter2&sslpassword=hunter3',
      'postgres://app:***@db/ctflow?password=***&sslpassword=***',
    ],
    // The driver decodes parameter names, so an encoded or upper-case name is masked too; a value-less one as well.
    ['postgres://app@db/ctflow?pass%77ord=hunter2', 'postgres://app@db/ctflow?pass%77ord=***'],
    ['postgres://app@db/ctflow?PASSWORD=hunter2&password', 'postgres://app@db/ctflow?PASSWORD=***&password=***'],
    ['postgres://app@db/ctflow?password=hunter2#frag', 'postgres://app@db/ctflow?password=***#frag'],
  ])('masks %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })

  it('masks a URL that does not parse, userinfo and query alike', () => {
    expect(redactUrl('postgres://app:hunter1@[bad/x?password=hunter2')).toBe('postgres://app:***@[bad/x?password=***')
  })

  it('leaves a URL without a password as it was', () => {
    expect(redactUrl('postgres://app@db/ctflow?sslmode=require&passwordless=1')).toBe(
      'postgres://app@db/ctflow?sslmode=require&passwordless=1',
    )
  })
})

describe('urlSecrets', () => {
  it('lists every password a URL carries, decoded and as written', () => {
    expect(urlSecrets('postgres://app:p%40ss@db/x?password=a%2Bb&sslpassword=c+d').sort()).toEqual(
      ['a+b', 'a%2Bb', 'c d', 'c+d', 'p%40ss', 'p@ss'].sort(),
    )
    expect(urlSecrets('postgres://app@db/x')).toEqual([])
  })
})
