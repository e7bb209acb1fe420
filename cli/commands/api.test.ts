import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CliIO } from '../command'
import { main } from '../main'
import type { TestServer } from '../../lib/ctyun/testing/test-server'
import { fail, ok, startTestServer } from '../../lib/ctyun/testing/test-server'

const AK = 'cli-test-ak-0123456789abcdef01234'
const SK = 'cli-test-sk-SECRET-9876543210fedc'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())
afterEach(() => {
  server.requests.length = 0
  server.reply(() => ok())
})

async function api(
  argv: string[],
  env: Record<string, string> = { CTYUN_AK: AK, CTYUN_SK: SK, CTYUN_ENDPOINT: server.url, CTYUN_RETRIES: '0' },
) {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    cwd: process.cwd(),
    signal: new AbortController().signal,
  }
  const code = await main(['api', ...argv], io)
  return { code, stdout, stderr }
}

describe('ctflow api', () => {
  it('sends a signed GET with repeated --query and prints the JSON reply', async () => {
    server.reply(() => ok({ diskList: [{ diskID: 'd-1' }] }))
    const { code, stdout } = await api([
      'GET',
      'ebs',
      '/v4/ebs/list-ebs',
      '--query',
      'regionID=r 1',
      '--query',
      'pageNo=1',
      '--query=tag=a=b',
    ])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ statusCode: 800, returnObj: { diskList: [{ diskID: 'd-1' }] } })
    const [request] = server.requests
    expect(request).toMatchObject({
      method: 'GET',
      path: '/v4/ebs/list-ebs',
      rawQuery: 'pageNo=1&regionID=r+1&tag=a%3Db',
    })
    expect(request!.headers['eop-authorization']).toMatch(
      new RegExp(`^${AK} Headers=ctyun-eop-request-id;eop-date Signature=`),
    )
  })

  it('sends --body as the exact JSON of a POST, with --client-token added', async () => {
    const { code } = await api([
      'post',
      'ebs',
      '/v4/ebs_snapshot/create-ebs-snap',
      '--body',
      '{"regionID":"r1","snapshotName":"快照"}',
      '--client-token',
      'tok-9',
    ])
    expect(code).toBe(0)
    expect(server.requests[0]!.json).toEqual({ regionID: 'r1', snapshotName: '快照', clientToken: 'tok-9' })
  })

  it('accepts a full URL as SERVICE', async () => {
    const { code } = await api(['GET', `${server.url}/gw`, '/v4/region/list-regions'], { CTYUN_AK: AK, CTYUN_SK: SK })
    expect(code).toBe(0)
    expect(server.requests[0]!.path).toBe('/gw/v4/region/list-regions')
  })

  it('exits 1 on an error envelope with the errorCode and message on stderr, and no secret', async () => {
    server.reply(() => fail('ebs.ebsInfo.notExists', '云硬盘不存在'))
    const { code, stdout, stderr } = await api(['GET', 'ebs', '/v4/ebs/info-ebs', '--query', 'diskID=x'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^ctflow api: ebs\.ebsInfo\.notExists: 云硬盘不存在/m)
    expect(stderr).not.toContain(SK)
    expect(stderr).not.toContain(AK)
  })

  it('exits 1 on an HTML reply with the status and an excerpt', async () => {
    server.reply(() => ({ status: 502, body: '<html><h1>Bad Gateway</h1></html>' }))
    const { code, stderr } = await api(['GET', 'ecs', '/v4/x'])
    expect(code).toBe(1)
    expect(stderr).toContain('CTyun HTTP 502')
    expect(stderr).toContain('Bad Gateway')
  })

  it('exits 0 on an order in progress and tells how to poll it', async () => {
    server.reply(() => fail('ebs.order.inProgress', '订单处理中', { returnObj: { masterOrderID: 'mo-1' } }))
    const { code, stdout, stderr } = await api(['POST', 'ebs', '/v4/ebs_snapshot/create-ebs-snap', '--body', '{}'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout).returnObj.masterOrderID).toBe('mo-1')
    expect(stderr).toContain('masterOrderID=mo-1')
  })

  it.each([
    [['POST', 'ebs', '/v4/x', '--body', '{regionID:1}'], /--body is not valid JSON/],
    [['GET', 'ebs', '/v4/x', '--query', 'regionID'], /--query "regionID" is not key=value/],
    [['GET', 'ebs', '/v4/x', '--query'], /--query needs a value/],
    [['GET', 'ebs', '/v4/x', '--body', '{}'], /--body cannot be sent with GET/],
    [['FETCH', 'ebs', '/v4/x'], /METHOD "FETCH"/],
    [['GET', 'nosuch', '/v4/x'], /SERVICE "nosuch"/],
    [['GET', 'ebs', 'v4/x'], /PATH "v4\/x" must start with \//],
    [['GET', 'ebs'], /expected METHOD SERVICE PATH/],
    [['GET', 'ebs', '/v4/x', '--verbose'], /unknown option --verbose/],
  ])('rejects %j with exit 2 and an error naming the argument', async (argv, message) => {
    const { code, stderr } = await api(argv)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(server.requests).toHaveLength(0)
  })

  it('fails with a config error naming CTYUN_AK/CTYUN_SK when only one is set', async () => {
    const { code, stderr } = await api(['GET', 'ebs', '/v4/x'], { CTYUN_AK: AK })
    expect(code).toBe(1)
    expect(stderr).toMatch(/CTYUN_AK is set but CTYUN_SK is not/)
  })

  it('prints help with exit 0', async () => {
    const { code, stdout } = await api(['--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('Usage: ctflow api METHOD SERVICE PATH')
  })
})

describe('ctflow api without any CTYUN_* setting', () => {
  it('calls an in-process simulator (the embedded default) and says so', async () => {
    const { code, stdout, stderr } = await api(['GET', 'ecs', '/v4/region/list-regions'], {})
    expect(code).toBe(0)
    expect(stderr).toMatch(/calling embedded simulator at http:\/\/127\.0\.0\.1:\d+/)
    expect(JSON.parse(stdout).returnObj.regionList.length).toBeGreaterThan(0)
  })
})
