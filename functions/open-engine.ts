import type { FunctionsConfig } from '../lib/config/functions-config'
import type { OpenedEngine } from './runtime'

// TEMPORARY until createEngine (lib/engine/create-engine.ts) lands; replaced before this is reported done.
export async function openEngine(_config: FunctionsConfig): Promise<OpenedEngine> {
  throw new Error('ctflow: the engine is not wired into the functions yet')
}
