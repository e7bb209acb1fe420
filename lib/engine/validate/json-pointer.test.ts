import { describe, expect, it } from 'vitest'
import { childPointer, jsonPointer } from './json-pointer'

describe('jsonPointer', () => {
  it('escapes ~ and / as RFC 6901 says', () => {
    expect(jsonPointer('States', 'a/b~c', 0)).toBe('/States/a~1b~0c/0')
    expect(childPointer('/States/X', 'Retry', 1, 'ErrorEquals')).toBe('/States/X/Retry/1/ErrorEquals')
    expect(jsonPointer()).toBe('')
  })
})
