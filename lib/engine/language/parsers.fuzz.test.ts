import { describe, expect, it } from 'vitest'
import { seededRandom as generator } from './seeded-random'
import { IntrinsicSyntaxError, parseIntrinsic } from './intrinsics'
import { JsonPathError, parseJsonPath, readPath } from './jsonpath'

const pathAlphabet = ['$', '$', '.', '..', '[', ']', '*', '?', '(', ')', '@', "'", '"', ':', ',', '-', '1', '0', 'a', 'b', ' ', '=', '<', '>', '!', '&', '|', '\\', 'States.', 'Format', 'Array']

function randomText(random: () => number, start: string): string {
  let text = start
  const length = Math.floor(random() * 16)
  for (let index = 0; index < length; index++) text += pathAlphabet[Math.floor(random() * pathAlphabet.length)]
  return text
}

describe('parsers on arbitrary text', () => {
  it('parseJsonPath either compiles or throws JsonPathError, and reading never throws', () => {
    const random = generator(1)
    const document = { a: [{ b: 1 }, { b: 'x' }], b: { a: null } }
    let compiled = 0
    for (let index = 0; index < 20_000; index++) {
      const path = randomText(random, '$')
      try {
        parseJsonPath(path)
        compiled++
      } catch (error) {
        expect(error, path).toBeInstanceOf(JsonPathError)
        continue
      }
      expect(() => readPath(document, path), path).not.toThrow()
    }
    expect(compiled).toBeGreaterThan(100) // the generator does produce valid paths too
  })

  it('parseIntrinsic either parses or throws IntrinsicSyntaxError', () => {
    const random = generator(2)
    for (let index = 0; index < 20_000; index++) {
      const expression = randomText(random, random() < 0.5 ? 'States.Array(' : 'States.Format(')
      try {
        parseIntrinsic(expression)
      } catch (error) {
        expect(error, expression).toBeInstanceOf(IntrinsicSyntaxError)
      }
    }
  })
})
