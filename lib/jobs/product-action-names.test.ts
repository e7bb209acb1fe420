import { describe, expect, it } from 'vitest'
import type { CtyunClient } from '../ctyun'
import { productResourceNames } from './product-action-names'
import { createProductActions } from './product-actions'

describe('productResourceNames', () => {
  it('lists every resource the shipped workflows may name, without a client', () => {
    const names = productResourceNames()
    for (const name of [
      'ctyun:ebs:createSnapshot.sync',
      'ctyun:cbr:executePolicy.sync',
      'ctyun:eip:deleteEip',
      'ctflow:backup:prepare',
      'ctflow:image:planCopies',
    ]) {
      expect(names.has(name), name).toBe(true)
    }
    expect(names.has('ctyun:ebs:listDisks.sync')).toBe(false)
  })

  it('lists exactly what createProductActions registers, names and .sync forms', () => {
    // The actions' closures reach for the client only when called; these are never called.
    expect([...productResourceNames()].sort()).toEqual(
      createProductActions(undefined as unknown as CtyunClient).names(),
    )
  })
})
