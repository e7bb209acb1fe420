/** RFC 6901 JSON pointers, the way validation problems point into a workflow file. */
export function jsonPointer(...parts: Array<string | number>): string {
  return parts.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

/** Appends parts to an existing pointer. */
export function childPointer(pointer: string, ...parts: Array<string | number>): string {
  return pointer + jsonPointer(...parts)
}
