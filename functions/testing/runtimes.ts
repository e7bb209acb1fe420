/**
 * Starts the real runtimes (Bun, Deno, workerd: the binaries their npm packages ship) on a packaged entry, and a
 * `ctflow sim` on loopback, for the runtime matrix test and the cold-start bench. Every process is started by its
 * own pid and stopped by it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = {
  bun: join(ROOT, 'node_modules/.bin/bun'),
  deno: join(ROOT, 'node_modules/.bin/deno'),
  workerd: join(ROOT, 'node_modules/.bin/workerd'),
} as const

export type RuntimeName = keyof typeof BIN

export interface Started {
  url: string
  child: ChildProcess
  /** What the process printed so far (stdout and stderr), for assertion messages. */
  output(): string
  stop(): Promise<void>
}

/** A port free right now (the OS picks it); for workerd, whose config names its socket's address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** `ctflow sim --port 0` (the built CLI in dist/), resolved with its URL once it listens. */
export function startCtflowSim(): Promise<Started> {
  return spawnUntil(process.execPath, [join(ROOT, 'bin/ctflow.mjs'), 'sim', '--port', '0'], {}, (text) => {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)
    return match?.[1]
  })
}

/**
 * Bun or Deno on a packaged `ctflow.js` (scripts/package-platform.mjs), resolved once it logs its URL.
 * @example const bun = await startServerRuntime('bun', '.package/bun/ctflow.js', { CTFLOW_STORE: 'memory' })
 */
export function startServerRuntime(
  runtime: 'bun' | 'deno',
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
  runtimeFlags: string[] = [],
): Promise<Started> {
  const argv =
    runtime === 'bun'
      ? [...runtimeFlags, entry, ...args]
      : ['run', ...DENO_PERMISSIONS, ...runtimeFlags, entry, ...args]
  return spawnUntil(BIN[runtime], argv, { HOST: '127.0.0.1', PORT: '0', ...env }, (text) => {
    const match = /listening on (http:\/\/[^\s]+)/.exec(text)
    return match?.[1]
  })
}

/** What the Deno entry needs (net: HTTP and PostgreSQL; env: settings; read/write: the file store; sys: pg's os). */
export const DENO_PERMISSIONS = [
  '--allow-net',
  '--allow-env',
  '--allow-read',
  '--allow-write',
  '--allow-sys',
  '--unstable-cron',
]

/** Runs a runtime to completion (e.g. `--trigger`), resolving with its exit code and output. */
export function runToExit(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
  })
}

export interface WorkerdOptions {
  /** Directory holding `worker.js`; the config is written beside it. */
  dir: string
  port: number
  /** A second socket serving a tiny worker that fires the ctflow worker's `scheduled` handler: GET /?cron=… */
  triggerPort?: number
  bindings: Record<string, string>
}

/**
 * workerd on the packaged worker.js, with outbound TCP to loopback allowed (the simulator, PostgreSQL), resolved once
 * its socket answers.
 */
export async function startWorkerd(options: WorkerdOptions): Promise<Started> {
  const url = `http://127.0.0.1:${options.port}`
  // `--experimental`: a service binding's scheduled() (the trigger worker) is an experimental workerd feature.
  const started = await spawnUntil(BIN.workerd, workerdArgs(writeWorkerdConfig(options)), {}, () => url, {
    ready: async () => {
      try {
        return (await fetch(`${url}/healthz`)).status > 0
      } catch {
        return false
      }
    },
  })
  return started
}

/** worker.js and the lazy chunks beside it (workerd loads only the modules its config lists). */
function modules(dir: string): string[] {
  const chunks = existsSync(join(dir, 'chunks')) ? readdirSync(join(dir, 'chunks')).map((file) => `chunks/${file}`) : []
  return ['worker.js', ...chunks]
}

/** The workerd command line for a config written by writeWorkerdConfig. */
export function workerdArgs(config: string): string[] {
  return ['serve', '--experimental', config]
}

/** Writes config.capnp (and trigger.js) into `dir` for `worker.js` there; returns the config's path. */
export function writeWorkerdConfig({ dir, port, triggerPort, bindings }: WorkerdOptions): string {
  const text = (value: string) => JSON.stringify(value)
  writeFileSync(
    join(dir, 'trigger.js'),
    `export default { async fetch(request, env) {
  const cron = new URL(request.url).searchParams.get('cron')
  return Response.json(await env.CTFLOW.scheduled({ cron, scheduledTime: new Date() }))
} }
`,
  )
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .ctflow),
    (name = "trigger", worker = .trigger),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
    (name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "main"),
    ${triggerPort ? `(name = "trigger", address = ${text(`127.0.0.1:${triggerPort}`)}, http = (), service = "trigger"),` : ''}
  ],
);
const ctflow :Workerd.Worker = (
  modules = [ ${modules(dir)
    .map((file) => `(name = ${text(file)}, esModule = embed ${text(file)})`)
    .join(', ')} ],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "loopback",
  bindings = [ ${Object.entries(bindings)
    .map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`)
    .join(', ')} ],
);
const trigger :Workerd.Worker = (
  modules = [ (name = "trigger.js", esModule = embed "trigger.js") ],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ["service_binding_extra_handlers"],
  bindings = [ (name = "CTFLOW", service = "main") ],
);
`,
  )
  return join(dir, 'config.capnp')
}

function spawnUntil(
  command: string,
  args: string[],
  env: Record<string, string>,
  findUrl: (output: string) => string | undefined,
  { ready, timeoutMs = 20_000 }: { ready?: () => Promise<boolean>; timeoutMs?: number } = {},
): Promise<Started> {
  // A process group of its own: deno's and workerd's npm bins are node scripts that run the real binary as a child
  // (and forward no signal), so a stop signals the whole group.
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // The group is gone already.
    }
  }
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        signalGroup('SIGKILL') // what the wrapper left running
        return resolve()
      }
      child.once('close', () => resolve())
      signalGroup('SIGTERM')
      // A runtime that ignores SIGTERM is killed: a test must not leave a process behind.
      setTimeout(() => signalGroup('SIGKILL'), 3_000).unref()
    })
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs
    const fail = (reason: string) => {
      void stop()
      reject(new Error(`${command} ${args.join(' ')}: ${reason}\n${output}`))
    }
    child.once('error', (error) => fail(error.message))
    child.once('exit', (code) => fail(`exited (${code}) before it was ready`))
    const poll = async () => {
      const url = findUrl(output)
      if (url && (!ready || (await ready()))) {
        child.removeAllListeners('exit')
        return resolve({ url, child, output: () => output, stop })
      }
      if (Date.now() > deadline) return fail('not ready in time')
      setTimeout(poll, 25)
    }
    void poll()
  })
}
