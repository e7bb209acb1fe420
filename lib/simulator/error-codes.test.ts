import { describe, expect, it } from 'vitest'
import {
  ASSUMED_ERROR_CODES,
  AUTH_ERROR_CODES,
  ERROR,
  ERROR_CODES,
  isAssumed,
  respeller,
  type SimErrorCode,
} from './error-codes'

describe('simulator error codes', () => {
  const all = Object.entries({ ...AUTH_ERROR_CODES, ...ERROR_CODES }) as Array<[string, SimErrorCode]>

  it('mark every code as sourced (naming a fact-sheet section) or assumed, as data', () => {
    for (const [name, entry] of all) {
      if (isAssumed(entry)) expect(entry, name).toMatchObject({ assumed: true })
      else expect(entry.source, name).toMatch(/^§\d+\.\d+/)
    }
    expect(ERROR.diskNotFound).toBe('ebs.ebsInfo.notExists')
  })

  it('list the assumed codes in both spellings (errorCode and its UpperCamel twin), and no sourced one', () => {
    expect(ASSUMED_ERROR_CODES).toContain('Openapi.Eip.StatusNotAllowed')
    expect(ASSUMED_ERROR_CODES).toContain('Image.ImageCopy.InProgress')
    expect(ASSUMED_ERROR_CODES).toContain('Openapi.RequestLimitExceeded')
    expect(ASSUMED_ERROR_CODES).toContain('Ebs.EbsInfo.StatusNotAllowed')
    for (const [, entry] of all)
      if (!isAssumed(entry)) expect(ASSUMED_ERROR_CODES.has(entry.code), entry.code).toBe(false)
  })

  it("do not answer a CBR policy with the EBS-backup product's not-found code (§8.10); CBR's is unknown, so assumed", () => {
    expect(ERROR_CODES.backupPolicyNotFound.code).not.toBe('EbsBackup.PolicyInfo.NotFound')
    expect(isAssumed(ERROR_CODES.backupPolicyNotFound)).toBe(true)
  })

  it('respell assumed codes only', () => {
    const respell = respeller({ diskBusy: 'ebs.disk.busy' })
    expect([respell('ebs.ebsInfo.statusNotAllowed'), respell('ebs.ebsInfo.notExists')]).toEqual([
      'ebs.disk.busy',
      'ebs.ebsInfo.notExists',
    ])
    expect(() => respeller({ diskNotFound: 'ebs.disk.gone' })).toThrow(/sourced \(§2\.3\)/)
    expect(() => respeller({ diskBusy: 'not a code' })).toThrow(/product\.module\.code/)
  })
})
