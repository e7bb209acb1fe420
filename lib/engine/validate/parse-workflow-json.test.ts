import { describe, expect, it } from 'vitest'
import { locateJsonError, parseWorkflowJson } from './parse-workflow-json'

describe('parseWorkflowJson', () => {
  it('parses valid JSON', () => {
    expect(parseWorkflowJson('{"StartAt": "A"}')).toEqual({ definition: { StartAt: 'A' }, problems: [] })
  })

  it('reports invalid JSON with its line and column', () => {
    const { definition, problems } = parseWorkflowJson('{\n  "StartAt": "A",\n  "States": }\n')
    expect(definition).toBeUndefined()
    expect(problems).toEqual([{ pointer: '', message: 'Invalid JSON at line 3, column 13: unexpected "}"' }])
  })

  it.each([
    ['', 1, 'unexpected end of input'],
    ['{"a": 1,}', 9, 'trailing comma before "}"'],
    ["{'a': 1}", 2, 'expected a property name in double quotes but found "\'"'],
    ['{"a" 1}', 6, 'expected ":" after the property name but found "1"'],
    ['[1 2]', 4, 'expected "," or "]" but found "2"'],
    ['{"a": "x\ny"}', 9, 'unescaped control character (a line break?) in a string'],
    ['{"a": "\\q"}', 9, 'invalid escape "\\q" in a string'],
    ['{} {}', 4, 'unexpected "{" after the end of the document'],
    ['{"a": tru}', 7, 'unexpected "t"'],
  ])('locates the error in %j', (text, column, reason) => {
    expect(JSON.parse.bind(null, text)).toThrow()
    expect(parseWorkflowJson(text).problems[0].message).toBe(`Invalid JSON at line 1, column ${column}: ${reason}`)
  })

  it('finds no error in valid JSON', () => {
    expect(locateJsonError('{"a": [1, -2.5e3, true, null, "\\u00e9\\n"], "b": {}}')).toBeUndefined()
  })

  it('reports broken JSON nested 100,000 levels deep at the point it passes 1,000, instead of overflowing the stack', () => {
    const { problems } = parseWorkflowJson(`{"States": ${'['.repeat(100_000)}`)
    expect(problems).toEqual([
      {
        pointer: '',
        message: 'Invalid JSON at line 1, column 1011: objects and arrays nest more than 1,000 levels deep here',
      },
    ])
  })
})
