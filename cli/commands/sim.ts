/**
 * `ctflow sim [--port 4010] [--host 127.0.0.1] [--fixture FILE] [--realistic] [--seed N] [--ak AK --sk SK]
 *   [--disks N] [--rate-limit R] [--throttle-answer http429|errorCode]`
 * Starts the local CTyun simulator and prints its URL and credentials; runs until SIGINT/SIGTERM.
 * Credentials: --ak/--sk, else CTYUN_AK/CTYUN_SK, else the demo pair (printed, since it only opens this simulator).
 */
import { parseArgs } from 'node:util'
import type { Command } from '../command'
import { UsageError } from '../command'

const HELP = `Usage: ctflow sim [options]

Starts the local CTyun simulator (every service on one port; admin under /_sim/).

Options:
  --port N          port to listen on (default 4010; 0 picks a free one)
  --host H          address to bind (default 127.0.0.1; the /_sim/ admin is unauthenticated)
  --fixture FILE    JSON fixture to seed the cloud (default: the shipped one)
  --realistic       realistic lifecycle durations (minutes) instead of fast ones
  --seed N          seed for generated IDs and faults (default 1)
  --faults FILE     JSON fault config, e.g. {"*": {"serverErrorRate": 0.1}} (change later: PUT /_sim/faults)
  --ak AK --sk SK   credentials to accept (default CTYUN_AK/CTYUN_SK, else demo credentials)
  --disks N         add N disks labelled backup=nightly to the first region (4 a generated instance, each
                    instance with a CBR policy): the nightly job at scale
  --rate-limit R    answer at most R requests a second per access key per service (token bucket, burst R);
                    beyond it, the throttle answer (/_sim/calls counts them per operation)
  --throttle-answer http429 (default: HTTP 429 + Retry-After) or errorCode (HTTP 200, statusCode 900,
                    errorCode Openapi.RequestLimitExceeded: ASSUMED, the real code is not documented)
`

const command: Command = async (argv, io) => {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        fixture: { type: 'string' },
        realistic: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        faults: { type: 'string' },
        disks: { type: 'string' },
        'rate-limit': { type: 'string' },
        'throttle-answer': { type: 'string' },
        ak: { type: 'string' },
        sk: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }))
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${HELP}`)
  }
  if (values.help) {
    io.stdout(HELP)
    return 0
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be an integer 0-65535, got "${values.port}"`)
  const seed = Number(values.seed)
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`)
  const disks = values.disks === undefined ? 0 : Number(values.disks)
  if (!Number.isInteger(disks) || disks < 0 || disks > 100_000)
    throw new UsageError(`--disks must be an integer 0-100000, got "${values.disks}"`)
  const rateLimit = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit'])
  if (rateLimit !== undefined && !(Number.isFinite(rateLimit) && rateLimit > 0))
    throw new UsageError(`--rate-limit must be a number of requests per second > 0, got "${values['rate-limit']}"`)
  const answer = values['throttle-answer'] ?? 'http429'
  if (answer !== 'http429' && answer !== 'errorCode')
    throw new UsageError(`--throttle-answer must be http429 or errorCode, got "${answer}"`)
  if (values['throttle-answer'] !== undefined && rateLimit === undefined)
    throw new UsageError('--throttle-answer needs --rate-limit')
  const ak = (values.ak as string | undefined) ?? io.env.CTYUN_AK?.trim()
  const sk = (values.sk as string | undefined) ?? io.env.CTYUN_SK?.trim()
  if (!!ak !== !!sk)
    throw new UsageError(
      'give both an access key and a secret key (--ak/--sk or CTYUN_AK/CTYUN_SK), or neither for the demo credentials',
    )

  const { startSimulator, DEMO_CREDENTIALS } = await import('../../lib/simulator')
  const fixture = values.fixture ? (await import('node:path')).resolve(io.cwd, values.fixture as string) : undefined
  const credentials = ak && sk ? { accessKey: ak, secretKey: sk } : DEMO_CREDENTIALS
  let faults: unknown
  if (values.faults) {
    const { readFileSync } = await import('node:fs')
    const file = (await import('node:path')).resolve(io.cwd, values.faults as string)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new UsageError(
        `--faults ${values.faults}: ${code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'unknown error'})`}`,
      )
    }
    try {
      faults = JSON.parse(text)
    } catch {
      // Not the parser's message: it quotes the file, which may hold anything (a token pasted into the wrong file).
      const { locateJsonError } = await import('../../lib/engine/validate')
      const offset = locateJsonError(text)?.offset
      const before = offset === undefined ? undefined : text.slice(0, offset).split('\n')
      const where = before ? ` (line ${before.length}, column ${before.at(-1)!.length + 1})` : ''
      throw new UsageError(`--faults ${values.faults}: not valid JSON${where}`)
    }
  }
  const sim = await startSimulator({
    port,
    hostname: values.host as string,
    fixture,
    seed,
    credentials,
    durations: values.realistic ? 'realistic' : 'fast',
    faults: faults as Record<string, never> | undefined,
    disks,
    rateLimit: rateLimit === undefined ? undefined : { rps: rateLimit, answer },
  })

  const own = ak !== undefined
  const faultNote =
    (values.faults ? `, faults from ${values.faults}` : '') +
    (disks ? `, ${disks} more disks labelled backup=nightly` : '') +
    (rateLimit ? `, rate limit ${rateLimit}/s per access key per service (${answer})` : '')
  io.stdout(
    [
      `CTyun simulator listening on ${sim.url}  (${values.realistic ? 'realistic' : 'fast'} lifecycles, seed ${seed}${faultNote})`,
      own
        ? `  credentials: the access key you gave (${values.ak ? '--ak' : 'CTYUN_AK'}) and its secret key (not printed)`
        : `  demo credentials (accepted only by this simulator):\n    CTYUN_AK=${credentials.accessKey}\n    CTYUN_SK=${credentials.secretKey}`,
      `  point ctflow at it:  CTYUN_ENDPOINT=${sim.url}${own ? '' : ` CTYUN_AK=${credentials.accessKey} CTYUN_SK=${credentials.secretKey}`}`,
      `  admin: ${sim.url}/_sim/state  /_sim/calls  /_sim/faults (GET, PUT)  /_sim/reset  /_sim/clock/advance`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  )
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve()
    else io.signal.addEventListener('abort', () => resolve(), { once: true })
  })
  await sim.close()
  io.stdout('simulator stopped\n')
  return 0
}
export default command
