import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { wildcardPattern } from './wildcard'

/** StringMatches as a regex (what ctflow used before): right, but exponential on patterns with several stars. */
function regexReference(pattern: string): RegExp {
  let source = ''
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!
    if (char === '\\' && (pattern[index + 1] === '*' || pattern[index + 1] === '\\'))
      source += escapeRegex(pattern[++index]!)
    else if (char === '*') source += '[\\s\\S]*'
    else source += escapeRegex(char)
  }
  return new RegExp(`^${source}$`)
}
const escapeRegex = (char: string) => char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

describe('wildcardPattern (StringMatches)', () => {
  it.each([
    ['log-*.txt', 'log-2021.txt', true],
    ['log-*.txt', 'log-2021.csv', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['**', 'anything', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['*-*.log', 'app-1.log', true],
    ['*-*.log', '-.log', true],
    ['*-*.log', '---------', false],
    ['ab*ba', 'aba', false], // the first and last piece may not overlap
    ['ab*ba', 'abba', true],
    ['*aab*', 'aaab', true], // the leftmost place of a middle piece is the one to take; KMP finds it after a partial match
    ['*abab*', 'aabababx', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'abc', false],
    ['a\\\\*', 'a\\anything', true],
    ['a\\b', 'a\\b', true], // a backslash before anything but * or \ is itself
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
    ['é*ü', 'é–ü', true],
  ])('%s against %s → %s', (pattern, text, expected) => {
    expect(wildcardPattern(pattern).test(text)).toBe(expected)
    expect(regexReference(pattern).test(text)).toBe(expected)
  })

  it('agrees with the regex it replaces on generated patterns and texts (fast-check, seeded)', () => {
    const unit = fc.constantFrom('a', 'b', '-', '.', '*', '\\')
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '*', '\\'), maxLength: 16 }),
        (pattern, text) => {
          expect(wildcardPattern(pattern).test(text)).toBe(regexReference(pattern).test(text))
        },
      ),
      { seed: 20261123, numRuns: 20_000 },
    )
  })

  it('matches a text built from the pattern itself (every star replaced by something)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 6 }),
        (pieces, fillers) => {
          const literal = (piece: string) => piece.replace(/[\\*]/g, '\\$&')
          const pattern = pieces.map(literal).join('*')
          const text = pieces.map((piece, i) => (i === 0 ? piece : `${fillers[i - 1] ?? ''}${piece}`)).join('')
          expect(wildcardPattern(pattern).test(text)).toBe(true)
        },
      ),
      { seed: 7, numRuns: 5_000 },
    )
  })

  it('matches 250 KB of dashes against *-*.log (false; a backtracking regex took 24 s) and a pattern with 200 stars, by construction in linear time', () => {
    // The regex took 24 s for the first; bench/engine.bench.ts times the linear matcher. Here: only the answers.
    const dashes = '-'.repeat(250_000)
    expect(wildcardPattern('*-*.log').test(dashes)).toBe(false)
    expect(wildcardPattern('*-*.log').test(`${dashes}.log`)).toBe(true)
    expect(wildcardPattern('-*'.repeat(200)).test(dashes)).toBe(true)
    expect(wildcardPattern(`${'*-'.repeat(200)}x`).test(dashes)).toBe(false)
  })
})
