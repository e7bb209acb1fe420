import { describe, expect, it } from 'vitest'
import { isDefinitePath, isReferencePath, JsonPathError, parseJsonPath, readPath, writePath } from './jsonpath'
import { StatesError } from './states-error'

// The Jayway README's store document (https://github.com/json-path/JsonPath#path-examples).
const store = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      {
        category: 'fiction',
        author: 'J. R. R. Tolkien',
        title: 'The Lord of the Rings',
        isbn: '0-395-19395-8',
        price: 22.99,
      },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
}

const value = (path: string, document: unknown = store) => {
  const result = readPath(document, path)
  if (!result.found) throw new Error(`not found: ${path}`)
  return result.value
}

describe('readPath', () => {
  it.each([
    ['$', store],
    ['$.expensive', 10],
    ['$.store.bicycle.color', 'red'],
    ["$['store']['bicycle']['color']", 'red'],
    ['$["store"].bicycle["price"]', 19.95],
    ['$.store.book[0].author', 'Nigel Rees'],
    ['$.store.book[-1].title', 'The Lord of the Rings'],
    ['$.store.book[*].author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$..author', ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']],
    ['$.store..price', [8.95, 12.99, 8.99, 22.99, 19.95]],
    ['$..book[2].title', ['Moby Dick']],
    ['$..book[0,1].title', ['Sayings of the Century', 'Sword of Honour']],
    ['$..book[:2].price', [8.95, 12.99]],
    ['$..book[1:2].price', [12.99]],
    ['$..book[-2:].price', [8.99, 22.99]],
    ['$..book[2:].price', [8.99, 22.99]],
    ['$..book[::2].price', [8.95, 8.99]],
    ['$..book[::-1].price', [22.99, 8.99, 12.99, 8.95]],
    ['$..book[?(@.isbn)].title', ['Moby Dick', 'The Lord of the Rings']],
    ['$.store.book[?(@.price < 10)].title', ['Sayings of the Century', 'Moby Dick']],
    ['$..book[?(@.price <= $.expensive)].price', [8.95, 8.99]],
    ["$..book[?(@.category == 'fiction' && @.price > 20)].author", ['J. R. R. Tolkien']],
    ["$..book[?(@.author == 'Nigel Rees' || @.price > 20)].price", [8.95, 22.99]],
    ['$..book[?(!(@.isbn))].price', [8.95, 12.99]],
    ["$.store.book[?(@.category != 'fiction')].title", ['Sayings of the Century']],
    ['$.store.bicycle.*', ['red', 19.95]],
    ["$.store.bicycle['color','price']", ['red', 19.95]],
  ])('%s', (path, expected) => {
    expect(value(path)).toEqual(expected)
  })

  it.each<[string, number[]]>([
    ['[1:4]', [1, 2, 3]],
    ['[-2:]', [4, 5]],
    ['[:-2]', [0, 1, 2, 3]],
    ['[5:1:-1]', [5, 4, 3, 2]],
    ['[::-2]', [5, 3, 1]],
    ['[-1:-4:-1]', [5, 4, 3]],
    ['[10:]', []],
    ['[:10]', [0, 1, 2, 3, 4, 5]],
    ['[-10:2]', [0, 1]],
    ['[4:1]', []],
    ['[1:-10:-1]', [1, 0]],
  ])('slices like Python: $.a%s', (slice, expected) => {
    expect(value(`$.a${slice}`, { a: [0, 1, 2, 3, 4, 5] })).toEqual(expected)
  })

  it('reports a definite path that matches nothing as not found, at any depth', () => {
    expect(readPath(store, '$.missing')).toEqual({ found: false })
    expect(readPath(store, '$.store.book[9]')).toEqual({ found: false })
    expect(readPath(store, '$.store.bicycle.color.shade')).toEqual({ found: false })
    expect(readPath(store, '$.store.book.title')).toEqual({ found: false })
    expect(readPath({ a: null }, '$.a')).toEqual({ found: true, value: null })
  })

  it('returns an empty array for a non-definite path that matches nothing', () => {
    expect(readPath(store, '$.store.book[?(@.price > 100)]')).toEqual({ found: true, value: [] })
  })

  it('reads names with backslash escapes, as the ASL spec reference path examples do', () => {
    const document = { 'store.book': 1, foo: { '.bar': 2, 'foo@bar': { baz: 3 } }, '&Ж中': { 𐍆: 4 } }
    expect(readPath(document, '$.store\\.book')).toEqual({ found: true, value: 1 })
    expect(readPath(document, '$.foo.\\.bar')).toEqual({ found: true, value: 2 })
    expect(readPath(document, '$.foo.foo\\@bar.baz')).toEqual({ found: true, value: 3 })
    expect(readPath(document, '$.&Ж中.𐍆')).toEqual({ found: true, value: 4 })
  })

  it('does not read inherited properties', () => {
    expect(readPath({}, '$.constructor')).toEqual({ found: false })
    expect(readPath({}, '$.__proto__')).toEqual({ found: false })
  })
})

describe('parseJsonPath', () => {
  it('caches compiled paths', () => {
    expect(parseJsonPath('$.a.b')).toBe(parseJsonPath('$.a.b'))
  })

  it.each(['a.b', '$.', '$[', '$.a[', "$['a", '$[?(@.a = 1)]', '$.a]', '$[1:2:0]', '$[?(@.a >)]', '$a'])(
    'rejects %s with a message naming the path',
    (path) => {
      expect(() => parseJsonPath(path)).toThrow(JsonPathError)
      expect(() => parseJsonPath(path)).toThrow(`"${path}"`)
    },
  )

  it('tells definite and reference paths apart', () => {
    expect(isDefinitePath('$.a[0].b')).toBe(true)
    expect(isDefinitePath('$.a[*]')).toBe(false)
    expect(isDefinitePath('$..a')).toBe(false)
    expect(isReferencePath('$.a[0].b')).toBe(true)
    expect(isReferencePath('$.a[-1]')).toBe(false)
    expect(isReferencePath('$.a[?(@.x)]')).toBe(false)
  })
})

describe('writePath', () => {
  it('replaces the document at $ and creates missing objects along the path', () => {
    expect(writePath({ a: 1 }, '$', 'x')).toBe('x')
    expect(writePath({ a: 1 }, '$.result.id', 'x')).toEqual({ a: 1, result: { id: 'x' } })
    expect(writePath(undefined, '$.a', 1)).toEqual({ a: 1 })
  })

  it('never changes the input document', () => {
    const input = { data: { val1: 23 } }
    const output = writePath(input, '$.data.lambdaresult', 'hi')
    expect(output).toEqual({ data: { val1: 23, lambdaresult: 'hi' } })
    expect(input).toEqual({ data: { val1: 23 } })
  })

  it('writes into an existing array element', () => {
    expect(writePath({ a: [1, { b: 2 }] }, '$.a[1].c', 3)).toEqual({ a: [1, { b: 2, c: 3 }] })
  })

  it('keeps a __proto__ key as data', () => {
    const output = writePath({}, "$['__proto__']", { polluted: true }) as Record<string, unknown>
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype)
    expect(Object.keys(output)).toEqual(['__proto__'])
  })

  it('fails with States.ResultPathMatchFailure when the path runs through a non-object', () => {
    const attempt = () => writePath({ a: 'text' }, '$.a.b', 1)
    expect(attempt).toThrow(StatesError)
    try {
      attempt()
    } catch (error) {
      expect((error as StatesError).error).toBe('States.ResultPathMatchFailure')
      expect((error as StatesError).cause).toContain('$.a is a string, not an object')
    }
    expect(() => writePath('plain', '$.a', 1)).toThrow(/\$ is a string/)
    expect(() => writePath({ a: [1] }, '$.a[3]', 1)).toThrow(/out of range/)
  })

  it('refuses non-reference paths', () => {
    expect(() => writePath({}, '$.a[*]', 1)).toThrow(JsonPathError)
  })
})

describe('hostile paths', () => {
  it('refuses filters nested more than 100 levels (parentheses, "!", filters in filters) with the position, not a stack overflow', () => {
    const refused = (path: string) => {
      try {
        parseJsonPath(path)
      } catch (error) {
        expect(error).toBeInstanceOf(JsonPathError)
        return (error as JsonPathError).reason
      }
      throw new Error(`accepted ${path.slice(0, 40)}`)
    }
    expect(refused(`$.a[?(${'('.repeat(5_000)}@.b${')'.repeat(5_000)})]`)).toBe(
      'filters, parentheses and "!" nest more than 100 levels deep at position 106',
    )
    expect(refused(`$.a[?(${'!'.repeat(5_000)}@.b)]`)).toMatch(/nest more than 100 levels deep/)
    expect(refused(`$${'[?(@'.repeat(5_000)}`)).toMatch(/nest more than 100 levels deep/)
    expect(readPath({ a: [{ b: 1 }, { c: 2 }] }, `$.a[?(${'('.repeat(99)}@.b${')'.repeat(99)})]`)).toEqual({
      found: true,
      value: [{ b: 1 }],
    })
  })

  it('evaluates a chain of 20,000 && or || terms (kept flat, not nested)', () => {
    const and = `$.a[?(${Array.from({ length: 20_000 }, () => '@.b == 1').join(' && ')})]`
    const or = `$.a[?(${Array.from({ length: 20_000 }, (_, i) => `@.b == ${i + 2}`).join(' || ')} || @.b == 1)]`
    const document = { a: [{ b: 1 }, { b: 0 }] }
    expect(readPath(document, and)).toEqual({ found: true, value: [{ b: 1 }] })
    expect(readPath(document, or)).toEqual({ found: true, value: [{ b: 1 }] })
    expect(readPath(document, '$.a[?(@.b == 1 && @.b > 0 || @.b == 0)]')).toEqual({
      found: true,
      value: [{ b: 1 }, { b: 0 }],
    })
  })

  it('parses a union of 50,000 indexes (each token read in place, not from a copy of the rest of the path)', () => {
    const path = `$[${Array.from({ length: 50_000 }, (_, i) => i).join(',')}]`
    const compiled = parseJsonPath(path)
    expect(compiled.segments[0]).toMatchObject({ kind: 'union' })
    expect((compiled.segments[0] as { keys: number[] }).keys).toHaveLength(50_000)
    expect(new JsonPathError(path, 'x').message.length).toBeLessThan(300) // the message quotes a hostile path shortened
  })
})
