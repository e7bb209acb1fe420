import { describe, expect, it } from 'vitest'
import { productResourceNames } from './product-actions'

describe('productResourceNames', () => {
  it('lists every resource the shipped workflows may name, without a client', () => {
    const names = productResourceNames()
    for (const name of ['ctyun:ebs:createSnapshot.sync', 'ctyun:cbr:executePolicy.sync', 'ctyun:eip:deleteEip', 'ctflow:backup:prepare', 'ctflow:image:planCopies']) {
      expect(names.has(name), name).toBe(true)
    }
    expect(names.has('ctyun:ebs:listDisks.sync')).toBe(false)
  })
})
