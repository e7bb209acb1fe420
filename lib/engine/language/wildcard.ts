/**
 * `StringMatches` patterns (ASL spec "Choice Rules"): `*` matches any run of characters (none included), `\*` is a
 * literal star and `\\` a literal backslash; every other character matches itself.
 *
 * Matched in linear time, by construction: the pattern is its literal pieces between stars. The first piece must
 * start the text and the last end it; each piece in between is found with KMP at the leftmost place after the one
 * before (leftmost is always right: a later place leaves less room for the rest). No search ever goes back, so a match
 * reads each character of the text a bounded number of times — O(text + pattern). A backtracking regex took 24 s for
 * `*-*.log` against 250,000 dashes and held the whole process meanwhile.
 */
export interface WildcardPattern {
  readonly source: string
  test(text: string): boolean
}

const cache = new Map<string, WildcardPattern>()

/**
 * The compiled pattern (cached).
 *
 * @example
 * wildcardPattern('log-*.txt').test('log-2021.txt') // true
 * wildcardPattern('a\\*').test('a*')               // true: an escaped, literal star
 */
export function wildcardPattern(source: string): WildcardPattern {
  let compiled = cache.get(source)
  if (compiled) return compiled
  compiled = compile(source)
  if (cache.size >= 1_000) cache.clear()
  cache.set(source, compiled)
  return compiled
}

function compile(source: string): WildcardPattern {
  const pieces: string[] = []
  let piece = ''
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!
    if (char === '\\' && (source[index + 1] === '*' || source[index + 1] === '\\')) piece += source[++index]
    else if (char === '*') {
      pieces.push(piece)
      piece = ''
    } else piece += char
  }
  pieces.push(piece)
  if (pieces.length === 1) return { source, test: (text) => text === pieces[0] }
  const first = pieces[0]!
  const last = pieces[pieces.length - 1]!
  const middle = pieces
    .slice(1, -1)
    .filter((inner) => inner !== '')
    .map((inner) => ({ needle: inner, failure: failureTable(inner) }))
  return {
    source,
    test(text) {
      if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false
      let from = first.length
      const end = text.length - last.length
      for (const { needle, failure } of middle) {
        const at = indexOfKmp(text, needle, failure, from, end)
        if (at < 0) return false
        from = at + needle.length
      }
      return true
    },
  }
}

/** KMP's failure function: for each prefix of `needle`, the length of its longest proper prefix that is also a suffix. */
function failureTable(needle: string): Int32Array {
  const failure = new Int32Array(needle.length)
  let length = 0
  for (let index = 1; index < needle.length; index++) {
    while (length > 0 && needle[index] !== needle[length]) length = failure[length - 1]!
    if (needle[index] === needle[length]) length++
    failure[index] = length
  }
  return failure
}

/** The first index ≥ `from` where `needle` occurs in `text` ending at or before `end`, or -1; linear in `end - from`. */
function indexOfKmp(text: string, needle: string, failure: Int32Array, from: number, end: number): number {
  let matched = 0
  for (let index = from; index < end; index++) {
    while (matched > 0 && text[index] !== needle[matched]) matched = failure[matched - 1]!
    if (text[index] === needle[matched]) matched++
    if (matched === needle.length) return index - needle.length + 1
  }
  return -1
}
