/** RFC 6901 JSON pointers, the way validation problems point into a workflow file. */
export function jsonPointer(...parts: Array<string | number>): string {
  let pointer = ''
  for (const part of parts) pointer += `/${escapePart(String(part))}`
  return pointer
}

/** Appends parts to an existing pointer. */
export function childPointer(pointer: string, ...parts: Array<string | number>): string {
  return pointer + jsonPointer(...parts)
}

function escapePart(part: string): string {
  // Most names need no escaping; skip the two replaces for them (validation builds a pointer per field).
  return part.includes('~') || part.includes('/') ? part.replace(/~/g, '~0').replace(/\//g, '~1') : part
}
