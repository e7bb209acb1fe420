const encoder = new TextEncoder()

/**
 * Compares two secrets without leaking, through timing, how long a matching prefix is: both are hashed to 32 bytes
 * (so lengths do not leak either) and every byte is compared.
 * @example await constantTimeEqual(presentedToken, configuredToken)
 */
export async function constantTimeEqual(
  a: string,
  b: string,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    subtle.digest('SHA-256', encoder.encode(a)),
    subtle.digest('SHA-256', encoder.encode(b)),
  ])
  const x = new Uint8Array(ha)
  const y = new Uint8Array(hb)
  let difference = 0
  for (let i = 0; i < x.length; i++) difference |= x[i]! ^ y[i]!
  return difference === 0
}

/** Hex SHA-256 of bytes: the request hash that lets a reused idempotency key with another body be refused. */
export async function sha256Hex(
  data: Uint8Array | string,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as BufferSource))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
