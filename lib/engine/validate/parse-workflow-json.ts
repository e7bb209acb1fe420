import type { Problem } from './problem'

/**
 * Parses a workflow file. Invalid JSON becomes a problem at the root pointer whose message gives the line and column,
 * so `ctflow validate` can list it like any other problem instead of throwing.
 *
 * @example
 * parseWorkflowJson('{"StartAt": }').problems[0].message // 'Invalid JSON at line 1, column 13: unexpected "}"'
 */
export function parseWorkflowJson(text: string): { definition: unknown; problems: Problem[] } {
  try {
    return { definition: JSON.parse(text), problems: [] }
  } catch (error) {
    // V8's messages do not always carry a position ("Unexpected token '}', … is not valid JSON"), so find it ourselves.
    const located = locateJsonError(text)
    const reason = located?.reason ?? (error instanceof Error ? error.message : String(error))
    const { line, column } = lineAndColumn(text, located?.offset ?? text.length)
    return {
      definition: undefined,
      problems: [{ pointer: '', message: `Invalid JSON at line ${line}, column ${column}: ${reason}` }],
    }
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text[index] === '\n') {
      line++
      lineStart = index + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

class JsonSyntax {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

// The scanner below recurses once per nesting level; JSON.parse does not, so broken JSON may nest far deeper than any
// workflow (MAX_DEFINITION_DEPTH): past this it reports the nesting instead of overflowing the stack.
const MAX_SCAN_DEPTH = 1_000

/** A small JSON scanner used only after JSON.parse failed: the offset and reason of the first error. */
export function locateJsonError(text: string): { offset: number; reason: string } | undefined {
  let position = 0
  let depth = 0
  const fail = (reason: string): never => {
    throw new JsonSyntax(position, reason)
  }
  const describe = () => (position >= text.length ? 'end of input' : `"${text[position]}"`)
  const skip = () => {
    while (position < text.length && ' \t\n\r'.includes(text[position])) position++
  }
  const expect = (char: string, what: string) => {
    skip()
    if (text[position] !== char) fail(`expected ${what} but found ${describe()}`)
    position++
  }
  const string = () => {
    position++ // opening quote
    while (position < text.length) {
      const char = text[position]
      if (char === '"') {
        position++
        return
      }
      if (char === '\\') {
        const next = text[position + 1]
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(position + 2, position + 6))) fail('invalid \\u escape in a string')
          position += 6
          continue
        }
        if (!next || !'"\\/bfnrt'.includes(next)) {
          position++
          fail(`invalid escape "\\${next ?? ''}" in a string`)
        }
        position += 2
        continue
      }
      if (char < ' ') fail('unescaped control character (a line break?) in a string')
      position++
    }
    fail('unterminated string')
  }
  const value = (): void => {
    skip()
    const char = text[position]
    if ((char === '{' || char === '[') && ++depth > MAX_SCAN_DEPTH)
      fail(`objects and arrays nest more than ${MAX_SCAN_DEPTH.toLocaleString('en-US')} levels deep here`)
    if (char === '{') {
      position++
      skip()
      if (text[position] === '}') {
        position++
        depth--
        return
      }
      for (;;) {
        skip()
        if (text[position] !== '"') fail(`expected a property name in double quotes but found ${describe()}`)
        string()
        expect(':', '":" after the property name')
        value()
        skip()
        if (text[position] === ',') {
          position++
          skip()
          if (text[position] === '}') fail('trailing comma before "}"')
          continue
        }
        if (text[position] === '}') {
          position++
          depth--
          return
        }
        fail(`expected "," or "}" but found ${describe()}`)
      }
    }
    if (char === '[') {
      position++
      skip()
      if (text[position] === ']') {
        position++
        depth--
        return
      }
      for (;;) {
        value()
        skip()
        if (text[position] === ',') {
          position++
          skip()
          if (text[position] === ']') fail('trailing comma before "]"')
          continue
        }
        if (text[position] === ']') {
          position++
          depth--
          return
        }
        fail(`expected "," or "]" but found ${describe()}`)
      }
    }
    if (char === '"') return string()
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(position, position + 400),
    )
    if (literal) {
      position += literal[0].length
      return
    }
    fail(position >= text.length ? 'unexpected end of input' : `unexpected ${describe()}`)
  }
  try {
    value()
    skip()
    if (position < text.length) fail(`unexpected ${describe()} after the end of the document`)
    return undefined
  } catch (error) {
    if (error instanceof JsonSyntax) return { offset: error.offset, reason: error.reason }
    throw error
  }
}
