/**
 * @module lib/config — settings read from the environment once per process, checked, with errors that name the
 * variable to fix and never echo a secret. The only place in lib/ that reads process.env. It reads and checks; it
 * starts nothing (the embedded simulator is started by its callers: cli/ctyun-target.ts).
 *
 *   CTYUN_*          the CTyun client (resolveCtyunConfig; `useEmbeddedSimulator` when none is set)
 *   CTFLOW_STORE*    where runs are stored (loadStoreConfig)
 *   CTFLOW_LOG_LEVEL which log lines are written (loadLogConfig)
 *   CTFLOW_NOTIFY    run notifications' channels, CTFLOW_PUBLIC_URL the links in them, CTFLOW_NOTIFY_GIVE_UP_HOURS
 *                    (default 6) and CTFLOW_NOTIFY_RETENTION_DAYS (default 7) their give-up and pruning (loadNotifySettings)
 *   CTFLOW_*         the functions and `ctflow serve` (loadFunctionsConfig: all of the above, webhooks, API token)
 *
 * @example const config = loadFunctionsConfig(process.env)
 */
export { resolveCtyunConfig, type CtyunConfig } from './ctyun-config'
export {
  DEFAULT_STORE_PATH,
  loadStoreConfig,
  parseStoreSetting,
  StoreConfigError,
  type StoreConfig,
  type StoreTarget,
} from './store-config'
export { FunctionsConfigError, loadFunctionsConfig, type FunctionsConfig } from './functions-config'
export { LOG_LEVELS, LogConfigError, loadLogConfig, type LogConfig, type LogLevel } from './log-config'
export {
  DEFAULT_NOTIFY_GIVE_UP_HOURS,
  DEFAULT_NOTIFY_RETENTION_DAYS,
  loadNotifySettings,
  NotifySettingsError,
  type NotifySettings,
} from './notify-settings'
export {
  CHANNEL_TYPES,
  DEFAULT_ON,
  describeChannel,
  findChannel,
  NotifyConfigError,
  parseNotifyConfig,
  RUN_END_STATUSES,
  type ChannelType,
  type NotifyChannel,
  type RunEndStatus,
} from './notify-config'
