import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cutDiskRanges, type ListedDisk, pickedOffsets } from './disk-ranges'

/** A listing: disks in order, each on an instance (grouped as list-ebs tends to list them) or on none. */
const listingArb = fc
  .array(fc.record({ instance: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }), chosen: fc.boolean() }), {
    maxLength: 400,
  })
  .map((items) => ({
    listing: items.map(
      ({ instance }, i): ListedDisk => ({
        diskID: `d-${i}`,
        diskName: `disk-${i}`,
        ...(instance === null ? {} : { instanceID: `i-${instance}` }),
      }),
    ),
    chosen: items.map(({ chosen }) => chosen),
  }))

describe('cutDiskRanges', () => {
  it('names every chosen disk exactly once, in listing order, and only chosen ones', () => {
    fc.assert(
      fc.property(listingArb, fc.integer({ min: 1, max: 50 }), ({ listing, chosen }, pageDisks) => {
        const ranges = cutDiskRanges(listing, chosen, { backup: true, pageDisks })
        const named = ranges.flatMap((range) => pickedOffsets(range.picks).map((offset) => range.start + offset))
        const expected = chosen.flatMap((yes, i) => (yes ? [i] : []))
        expect(named).toEqual(expected)
        for (const range of ranges) {
          expect(range.count).toBe(pickedOffsets(range.picks).length)
          expect(range.firstDiskID).toBe(listing[range.start]!.diskID)
          expect(range.lastDiskID).toBe(listing[range.end]!.diskID)
          expect(range.end).toBeGreaterThanOrEqual(range.start)
        }
        expect(ranges.map((r) => r.page)).toEqual(ranges.map((_, i) => i + 1))
      }),
    )
  })

  it('closes a page only between instances, and gives each chosen instance to exactly one page', () => {
    fc.assert(
      fc.property(listingArb, fc.integer({ min: 1, max: 50 }), ({ listing, chosen }, pageDisks) => {
        const ranges = cutDiskRanges(listing, chosen, { backup: true, pageDisks })
        for (const [a, b] of ranges.slice(1).map((range, i) => [ranges[i]!, range] as const)) {
          const lastOfA = listing[a.end]!.instanceID
          const firstOfB = listing[b.start]!.instanceID
          // Two pages never split one instance's run of consecutive chosen disks…
          if (lastOfA !== undefined) expect(firstOfB).not.toBe(lastOfA)
          // …and a page closes only once it is full.
          expect(a.count).toBeGreaterThanOrEqual(pageDisks)
        }
        const owners = ranges.flatMap((range) => range.instances)
        expect(new Set(owners).size).toBe(owners.length)
        const chosenInstances = new Set(
          listing.flatMap((disk, i) => (chosen[i] && disk.instanceID ? [disk.instanceID] : [])),
        )
        expect(new Set(owners)).toEqual(chosenInstances)
      }),
    )
  })

  it('keeps a page of 100 disks compact: one run when every disk is chosen', () => {
    const listing = Array.from({ length: 250 }, (_, i): ListedDisk => ({ diskID: `d-${i}`, instanceID: `i-${i}` }))
    const ranges = cutDiskRanges(
      listing,
      listing.map(() => true),
      { backup: false, pageDisks: 100 },
    )
    expect(ranges.map((r) => [r.start, r.end, r.count, r.picks])).toEqual([
      [0, 99, 100, [[0, 99]]],
      [100, 199, 100, [[0, 99]]],
      [200, 249, 50, [[0, 49]]],
    ])
    expect(ranges.every((r) => r.instances.length === 0)).toBe(true)
  })
})
