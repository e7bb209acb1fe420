/**
 * One base URL per CTyun service. Hosts: `https://<svc>-global.ctapi.ctyun.cn` (TF internal/service/ctyun_provider.go;
 * SDK <svc>/const.go; shared/ctyun-api.md §1.7). Regions, jobs and orders live on the ECS host.
 */
export const CTYUN_SERVICES = ['ecs', 'ebs', 'image', 'vpc', 'cbr', 'cda'] as const
export type CtyunService = (typeof CTYUN_SERVICES)[number]

export type CtyunEndpoints = Record<CtyunService, string>

export const DEFAULT_CTYUN_ENDPOINTS: Readonly<CtyunEndpoints> = Object.freeze({
  ecs: 'https://ctecs-global.ctapi.ctyun.cn',
  ebs: 'https://ebs-global.ctapi.ctyun.cn',
  image: 'https://ctimage-global.ctapi.ctyun.cn',
  vpc: 'https://ctvpc-global.ctapi.ctyun.cn',
  cbr: 'https://ctcbr-global.ctapi.ctyun.cn',
  cda: 'https://cda-global.ctapi.ctyun.cn',
})

export function isCtyunService(name: string): name is CtyunService {
  return (CTYUN_SERVICES as readonly string[]).includes(name)
}

/** True when the URL points at CTyun itself (not the simulator, a proxy or localhost). */
export function isRealCtyunEndpoint(url: string): boolean {
  try {
    return /(^|\.)ctyun\.cn$/i.test(new URL(url).hostname)
  } catch {
    return false
  }
}
