import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from './sha256'

const nodeSha256 = (input: string | Uint8Array) => createHash('sha256').update(input).digest('hex')

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 examples', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('agrees with node:crypto on random bytes of every length around the block boundaries and beyond', () => {
    for (let length = 0; length < 300; length++) {
      const bytes = new Uint8Array(randomBytes(length))
      expect(sha256Hex(bytes), `length ${length}`).toBe(nodeSha256(bytes))
    }
  })

  it('hashes strings as UTF-8, as node:crypto does', () => {
    for (let i = 0; i < 100; i++) {
      const text = Array.from({ length: i * 3 }, () => String.fromCodePoint(Math.floor(Math.random() * 0x2ffff))).join(
        '',
      )
      const wellFormed = text.replace(/[\ud800-\udfff]/g, '?')
      expect(sha256Hex(wellFormed)).toBe(nodeSha256(wellFormed))
    }
  })
})
