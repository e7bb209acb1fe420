import { HttpProblem } from './problem'

/**
 * Reads a request body, refusing (413) as soon as it grows past `maxBytes`: a declared `content-length` over the
 * limit is refused before reading, and a chunked or lying body is cut off while streaming, so an oversized body is
 * never buffered whole nor parsed.
 * @example const bytes = await readBodyLimited(c.req.raw, 256 * 1024)
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(maxBytes)
  if (!request.body) return new Uint8Array(0)

  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLarge(maxBytes)
    }
    chunks.push(value)
  }
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

function tooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem(413, 'body-too-large', `The request body is larger than the limit of ${maxBytes} bytes.`)
}
