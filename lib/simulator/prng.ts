/**
 * A small seeded PRNG (mulberry32) so that fault decisions and generated IDs replay exactly under the same seed.
 * Not for cryptography.
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number
  /** A lower-case hex string of `length` characters. */
  hex(length: number): string
  /** A UUID v4-shaped string. */
  uuid(): string
}

/**
 * @example const random = createPrng(42); random.next() // always the same first number for seed 42
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const hex = (length: number): string => {
    let out = ''
    while (out.length < length)
      out += Math.floor(next() * 0x100000000)
        .toString(16)
        .padStart(8, '0')
    return out.slice(0, length)
  }
  const uuid = (): string => {
    const h = hex(32)
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
  }
  return { next, hex, uuid }
}
