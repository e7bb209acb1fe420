// The engine's own files, not its index: the index re-exports the ASL language, which the start path must not load.
import { registerLazyActions } from '../engine/actions/lazy-actions'
import { createActionRegistry, type ActionRegistry } from '../engine/actions/registry'
import type { NotifyChannel } from '../config'
import { NOTIFY_RESOURCE } from './notify-resource-name'

export { NOTIFY_RESOURCE } from './notify-resource-name'

/**
 * Registers `ctflow:notify` by name at once; its code (the channels, p-retry) loads on its first call, so an engine
 * whose workflows never notify in the middle never loads it.
 * @example registerLazyNotifyAction(actions, channels, { publicUrl })
 */
export function registerLazyNotifyAction(
  registry: ActionRegistry,
  channels: readonly NotifyChannel[],
  options: { publicUrl?: string; fetch?: typeof fetch } = {},
): ActionRegistry {
  return registerLazyActions(registry, { [NOTIFY_RESOURCE]: 'call' }, async () => {
    const { registerNotifyAction } = await import('./notify-action')
    const loaded = createActionRegistry()
    registerNotifyAction(loaded, channels, options)
    return loaded
  })
}
