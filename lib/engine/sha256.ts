/**
 * SHA-256 (FIPS 180-4), synchronous and in plain JavaScript: client tokens, workflow versions and States.Hash need a
 * digest at once, and node:crypto's createHash would put a Node module on the cold start of the Bun, Deno and Workers
 * entries (Web Crypto's digest is asynchronous). The inputs are small (a few hundred bytes to a definition's JSON).
 * @example sha256Hex('abc') // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 */
export function sha256Hex(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  const words = padded(bytes)
  const hash = Uint32Array.from(INITIAL_HASH)
  const schedule = new Uint32Array(64)
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 16; t++) schedule[t] = words[block + t]!
    for (let t = 16; t < 64; t++) {
      const w15 = schedule[t - 15]!
      const w2 = schedule[t - 2]!
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3)
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10)
      schedule[t] = (schedule[t - 16]! + s0 + schedule[t - 7]! + s1) | 0
    }
    let [a, b, c, d, e, f, g, h] = hash as unknown as number[]
    for (let t = 0; t < 64; t++) {
      const t1 =
        (h! + (rotr(e!, 6) ^ rotr(e!, 11) ^ rotr(e!, 25)) + ((e! & f!) ^ (~e! & g!)) + ROUND[t]! + schedule[t]!) | 0
      const t2 = ((rotr(a!, 2) ^ rotr(a!, 13) ^ rotr(a!, 22)) + ((a! & b!) ^ (a! & c!) ^ (b! & c!))) | 0
      h = g
      g = f
      f = e
      e = (d! + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    hash[0]! += a!
    hash[1]! += b!
    hash[2]! += c!
    hash[3]! += d!
    hash[4]! += e!
    hash[5]! += f!
    hash[6]! += g!
    hash[7]! += h!
  }
  let hex = ''
  for (const word of hash) hex += word.toString(16).padStart(8, '0')
  return hex
}

/** The message as big-endian 32-bit words, with the 0x80 byte, zeros and its bit length (a multiple of 16 words). */
function padded(bytes: Uint8Array): Uint32Array {
  const blocks = Math.ceil((bytes.length + 9) / 64)
  const view = new DataView(new ArrayBuffer(blocks * 64))
  for (let i = 0; i < bytes.length; i++) view.setUint8(i, bytes[i]!)
  view.setUint8(bytes.length, 0x80)
  const bits = bytes.length * 8
  view.setUint32(blocks * 64 - 8, Math.floor(bits / 2 ** 32))
  view.setUint32(blocks * 64 - 4, bits >>> 0)
  const words = new Uint32Array(blocks * 16)
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4)
  return words
}

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n))
}

const INITIAL_HASH = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

// The first 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2).
const ROUND = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]
