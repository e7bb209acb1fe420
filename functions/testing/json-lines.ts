import { expect } from 'vitest'

export interface JsonLine {
  level: string
  time: string
  msg: string
  [field: string]: unknown
}

/**
 * Parses every line written as one JSON object with `level`, `time` and `msg` first, and checks that none holds any
 * of `secrets` (issue 14: no secret in any log line).
 */
export function parseJsonLines(written: readonly string[], secrets: readonly string[] = []): JsonLine[] {
  const lines = written.flatMap((chunk) => chunk.split('\n')).filter((line) => line !== '')
  return lines.map((text) => {
    for (const secret of secrets) expect(text).not.toContain(secret)
    const line = JSON.parse(text) as JsonLine
    expect(Object.keys(line).slice(0, 3)).toEqual(['level', 'time', 'msg'])
    return line
  })
}
