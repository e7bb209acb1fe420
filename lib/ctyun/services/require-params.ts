import { CtyunInputError } from '../errors'

/**
 * Throws CtyunInputError naming the first missing parameter (nothing is sent).
 * @example requireParams('ebs.getDisk', { regionID, diskID }, ['regionID', 'diskID'])
 */
export function requireParams<P extends object>(
  operation: string,
  params: P | undefined,
  names: readonly (keyof P & string)[],
): void {
  for (const name of names) {
    const value = (params as Record<string, unknown> | undefined)?.[name]
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      throw new CtyunInputError(name, `required by ${operation}`)
    }
  }
}

/** Drops undefined values so they are neither signed nor sent. */
export function defined<T extends object>(params: T): T {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as T
}
