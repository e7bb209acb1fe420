import { describe, expect, it } from 'vitest'
import { canonicalQuery, compareUtf8, goQueryEscape } from './query-string'

describe('goQueryEscape (Go url.QueryEscape)', () => {
  it.each([
    ['a b', 'a+b'],
    ["!'()*", '%21%27%28%29%2A'],
    ['-_.~', '-_.~'],
    ['/?&=+:@,;$#', '%2F%3F%26%3D%2B%3A%40%2C%3B%24%23'],
    ['中文', '%E4%B8%AD%E6%96%87'],
    ['😀', '%F0%9F%98%80'],
  ])('escapes %j as %j', (raw, escaped) => {
    expect(goQueryEscape(raw)).toBe(escaped)
  })
})

describe('canonicalQuery', () => {
  it('sorts keys, keeps empty values and leaves out undefined and null', () => {
    expect(canonicalQuery({ regionID: 'r', azName: '', pageNo: 1, skip: undefined, none: null, flag: false })).toBe(
      'azName=&flag=false&pageNo=1&regionID=r',
    )
  })

  it('repeats a key for each value of an array, in insertion order', () => {
    expect(canonicalQuery({ id: ['b', 'a'], a: 'x' })).toBe('a=x&id=b&id=a')
  })

  it('is empty without parameters', () => {
    expect(canonicalQuery(undefined)).toBe('')
    expect(canonicalQuery({})).toBe('')
  })

  it('sorts by UTF-8 bytes like Go, not by UTF-16 code units', () => {
    // U+FF5E (3 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 9F 98 80) in bytes, after it in UTF-16.
    expect(['😀', '～'].sort(compareUtf8)).toEqual(['～', '😀'])
  })
})
