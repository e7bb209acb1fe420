/**
 * Request parameters of one operation: the decoded query merged with the JSON body (official clients send GET
 * parameters either way, shared/ctyun-api.md §1.5). Errors name the parameter: `Openapi.Parameter.Error`.
 */
import { SimApiError } from './envelope'
import { ERROR } from './error-codes'

export class SimParams {
  constructor(readonly values: Record<string, unknown>) {}

  has(name: string): boolean {
    const value = this.values[name]
    return value !== undefined && value !== null && value !== ''
  }

  /** A required string (numbers are accepted and stringified: query values and JSON bodies differ). */
  required(name: string): string {
    const value = this.optional(name)
    if (value === undefined) throw new SimApiError(ERROR.parameter, `${name} is required`)
    return value
  }

  optional(name: string): string | undefined {
    const value = this.values[name]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    throw new SimApiError(ERROR.parameter, `${name} must be a string`)
  }

  int(
    name: string,
    fallback: number,
    { min = -Infinity, max = Infinity }: { min?: number; max?: number } = {},
  ): number {
    const text = this.optional(name)
    if (text === undefined) return fallback
    const value = Number(text)
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new SimApiError(
        ERROR.parameter,
        `${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(this.values[name])}`,
      )
    }
    return value
  }

  bool(name: string): boolean | undefined {
    const value = this.values[name]
    if (value === undefined || value === null || value === '') return undefined
    if (value === true || value === 'true') return true
    if (value === false || value === 'false') return false
    throw new SimApiError(ERROR.parameter, `${name} must be true or false`)
  }

  /** A list given as a JSON array or a comma-separated string (ECS `instanceIDList` is "a,b"). */
  list(name: string): string[] | undefined {
    const value = this.values[name]
    if (value === undefined || value === null || value === '') return undefined
    if (Array.isArray(value)) return value.map(String)
    if (typeof value === 'string')
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    throw new SimApiError(ERROR.parameter, `${name} must be an array or a comma-separated string`)
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const value = this.optional(name)
    if (value === undefined) {
      if (fallback !== undefined) return fallback
      throw new SimApiError(ERROR.parameter, `${name} is required (one of ${allowed.join(', ')})`)
    }
    if (!allowed.includes(value as T))
      throw new SimApiError(ERROR.parameter, `${name} must be one of ${allowed.join(', ')}, got "${value}"`)
    return value as T
  }
}

/** Pages a list with 1-based `pageNo`/`pageSize` (also `pageNumber`, legacy `page`; §4). */
export function paginate<T>(items: readonly T[], params: SimParams, { defaultSize = 10, maxSize = 50 } = {}) {
  const pageNo = params.has('pageNo')
    ? params.int('pageNo', 1, { min: 1 })
    : params.has('pageNumber')
      ? params.int('pageNumber', 1, { min: 1 })
      : params.int('page', 1, { min: 1 })
  const pageSize = params.int('pageSize', defaultSize, { min: 1, max: maxSize })
  const page = items.slice((pageNo - 1) * pageSize, pageNo * pageSize)
  return {
    page,
    pageNo,
    pageSize,
    totalCount: items.length,
    currentCount: page.length,
    totalPage: Math.ceil(items.length / pageSize),
  }
}

/**
 * Pages a list whose paging is not documented (CBR's, shared/ctyun-api.md §8.4) the strict way: the caller's
 * `pageSize` is ignored and the simulator's own `size` used, smaller than what lib/ctyun asks for, so a short page
 * never means the end. `pageNo` (1-based, undocumented too) is honoured — an assumption: without it nothing past the
 * first page could be read at all.
 */
export function ownPage<T>(items: readonly T[], params: SimParams, size: number) {
  const pageNo = params.int('pageNo', 1, { min: 1 })
  const page = items.slice((pageNo - 1) * size, pageNo * size)
  return { page, pageNo, pageSize: size, totalCount: items.length }
}
