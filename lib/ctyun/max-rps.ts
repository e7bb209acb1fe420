/**
 * `CTYUN_MAX_RPS`: a fixed ceiling on this client's request rate, for all services or per service. The client's
 * pacer (pacer.ts) never goes above it, whatever it learns from throttle answers.
 *
 * Forms: `20` (every service at most 20 requests a second), `ebs=10,cbr=5` (those services only), `20,ebs=10` (every
 * service 20, ebs 10). Several workers sharing one access key share the cloud's limit: give each worker its share
 * (the cloud's limit ÷ workers) and the pacers stay under the limit from the first call (see the scale bench).
 */
import { CTYUN_SERVICES, isCtyunService, type CtyunService } from './endpoints'
import { CtyunConfigError } from './errors'

/** Requests per second: `all` for every service, or per service (a service's own entry wins). */
export interface MaxRps {
  all?: number
  services?: Partial<Record<CtyunService, number>>
}

/**
 * Parses CTYUN_MAX_RPS; `undefined` or blank → no ceiling. Throws CtyunConfigError naming the entry.
 * @example parseMaxRps('20,ebs=10') // { all: 20, services: { ebs: 10 } }
 */
export function parseMaxRps(text: string | undefined, setting = 'CTYUN_MAX_RPS'): MaxRps | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const result: MaxRps = {}
  for (const raw of text.split(/[,\s]+/).filter(Boolean)) {
    const [name, value] = raw.includes('=') ? raw.split('=', 2) : [undefined, raw]
    const rps = Number(value)
    if (!(Number.isFinite(rps) && rps > 0))
      throw new CtyunConfigError(
        `${setting}: "${raw}" is not a rate; write a number of requests per second > 0, e.g. 20 or ebs=10`,
        setting,
      )
    if (name === undefined) {
      if (result.all !== undefined)
        throw new CtyunConfigError(`${setting}: more than one rate for every service`, setting)
      result.all = rps
    } else {
      const service = name.trim().toLowerCase()
      if (!isCtyunService(service))
        throw new CtyunConfigError(
          `${setting}: "${name}" is not a CTyun service; use one of ${CTYUN_SERVICES.join(', ')}`,
          setting,
        )
      result.services = { ...result.services, [service]: rps }
    }
  }
  return result
}

/** The ceiling for one service (or a base URL's key), `Infinity` when none. */
export function maxRpsFor(maxRps: MaxRps | undefined, service: string): number {
  if (!maxRps) return Number.POSITIVE_INFINITY
  return (maxRps.services as Record<string, number> | undefined)?.[service] ?? maxRps.all ?? Number.POSITIVE_INFINITY
}
