/** ECS, regions, jobs and orders — ctecs-global (shared/ctyun-api.md §3.1, §3.3, §3.8). */
import { SimApiError, success } from '../envelope'
import { ERROR } from '../error-codes'
import type { SimOperation } from '../operation'
import { jobStatusAt, requireInRegion, requireRecord } from '../lookup'
import { paginate } from '../params'
import { orderStatusAt, regionOf } from '../runtime'
import { instanceView } from '../views'

const INSTANCE_STATES = ['active', 'shutoff', 'expired', 'unsubscribed', 'freezing', 'shelve']
// list-instances `state` filter → instanceStatus values (active = running; shutoff = stopped).
const STATE_TO_STATUS: Record<string, string> = { active: 'running', shutoff: 'stopped' }

export const ecsOperations: SimOperation[] = [
  {
    name: 'regions.list',
    service: 'ctecs',
    methods: ['GET'],
    path: '/v4/region/list-regions',
    handle({ params, runtime }) {
      const name = params.optional('regionName')
      const regionList = [...runtime.state.regions.values()]
        .filter((r) => !name || r.regionName.includes(name))
        .map((r) => ({
          regionID: r.regionID,
          regionParent: r.regionParent,
          regionName: r.regionName,
          regionType: r.regionType,
          isMultiZones: r.zoneList.length > 1,
          zoneList: r.zoneList,
          regionCode: r.regionCode,
          openapiAvailable: true,
        }))
      return success({ regionList })
    },
  },
  {
    name: 'ecs.listInstances',
    service: 'ctecs',
    methods: ['POST'],
    path: '/v4/ecs/list-instances',
    handle({ params, runtime, now }) {
      const region = regionOf(runtime, params)
      const state = params.optional('state')?.toLowerCase()
      if (state && !INSTANCE_STATES.includes(state))
        throw new SimApiError(ERROR.parameter, `state must be one of ${INSTANCE_STATES.join(', ')}`)
      const ids = params.list('instanceIDList')
      const keyword = params.optional('keyword')
      const exactName = params.optional('instanceName')
      const azName = params.optional('azName')
      const matches = [...runtime.state.instances.values()].filter(
        (i) =>
          i.regionID === region.regionID &&
          (!state || i.instanceStatus === (STATE_TO_STATUS[state] ?? state)) &&
          (!ids || ids.includes(i.instanceID)) &&
          (!keyword ||
            i.instanceName.includes(keyword) ||
            i.displayName.includes(keyword) ||
            i.privateIP.includes(keyword)) &&
          (!exactName || i.instanceName === exactName) &&
          (!azName || i.azName === azName),
      )
      const { page, totalCount, currentCount, totalPage } = paginate(matches, params, { maxSize: 50 })
      return success({
        currentCount,
        totalCount,
        totalPage,
        results: page.map((i) => instanceView(i, runtime.state, now)),
      })
    },
  },
  {
    name: 'ecs.showInstance',
    service: 'ctecs',
    methods: ['GET'],
    path: '/v4/ecs/instance-details',
    handle({ params, runtime, now }) {
      const region = regionOf(runtime, params)
      const instance = requireInRegion(
        runtime.state.instances,
        params.required('instanceID'),
        region.regionID,
        ERROR.instanceNotFound,
        'instance',
      )
      return success(instanceView(instance, runtime.state, now))
    },
  },
  {
    name: 'ecs.instanceStatusList',
    service: 'ctecs',
    methods: ['POST'],
    path: '/v4/ecs/instance-status-list',
    handle({ params, runtime }) {
      const region = regionOf(runtime, params)
      const ids = params.list('instanceIDList')
      const matches = [...runtime.state.instances.values()].filter(
        (i) => i.regionID === region.regionID && (!ids || ids.includes(i.instanceID)),
      )
      const { page, totalCount, currentCount, totalPage } = paginate(matches, params, { maxSize: 50 })
      return success({
        currentCount,
        totalCount,
        totalPage,
        statusList: page.map((i) => ({ instanceID: i.instanceID, instanceStatus: i.instanceStatus })),
      })
    },
  },
  {
    name: 'ecs.jobInfo',
    service: 'ctecs',
    methods: ['GET'],
    path: '/v4/job/info',
    handle({ params, runtime, now }) {
      regionOf(runtime, params)
      const job = requireRecord(runtime.state.jobs, params.required('jobID'), ERROR.jobNotFound, 'job')
      const status = jobStatusAt(job, now)
      return success({
        jobID: job.jobID,
        status,
        jobStatus: ['executing', 'success', 'fail'][status],
        resourceId: job.resourceID,
        fields: { taskName: job.taskName },
        ID: job.resourceID,
      })
    },
  },
  {
    name: 'ecs.queryAsyncResult',
    service: 'ctecs',
    methods: ['GET'],
    path: '/v4/ecs/query-async-result',
    handle({ params, runtime, now }) {
      regionOf(runtime, params)
      const job = requireRecord(runtime.state.jobs, params.required('jobID'), ERROR.jobNotFound, 'job')
      return success({ jobStatus: jobStatusAt(job, now) })
    },
  },
  {
    name: 'ecs.orderQueryUuid',
    service: 'ctecs',
    methods: ['GET'],
    path: '/v4/ecs/order/query-uuid',
    handle({ params, runtime, now }) {
      const order = requireRecord(runtime.state.orders, params.required('masterOrderID'), ERROR.orderNotFound, 'order')
      const orderStatus = orderStatusAt(order, now)
      return success({ orderStatus, instanceIDList: orderStatus === '3' ? order.resourceIDs : [] })
    },
  },
  {
    name: 'order.queryUuid',
    service: 'ctecs',
    methods: ['GET'],
    path: '/v4/order/query-uuid',
    handle({ params, runtime, now }) {
      const order = requireRecord(
        runtime.state.orders,
        params.optional('masterOrderId') ?? params.required('masterOrderID'),
        ERROR.orderNotFound,
        'order',
      )
      const orderStatus = orderStatusAt(order, now)
      return success({
        orderStatus,
        resourceType: order.resourceType,
        resourceUuid: orderStatus === '3' ? order.resourceIDs : [],
      })
    },
  },
]
