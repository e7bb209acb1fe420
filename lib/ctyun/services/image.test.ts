import { describe, expect, it } from 'vitest'
import { CtyunResourceFailedError, type CtyunWaitTimeoutError } from '../errors'
import { fail, ok } from '../testing/test-server'
import { useClientHarness } from '../testing/use-client-harness'

const h = useClientHarness()

describe('image service', () => {
  it('reads both field spellings: doc imageStatus and SDK status', async () => {
    h.route({
      '/v4/image/detail': (_r, n) =>
        ok({
          images: [
            n === 0
              ? { imageID: 'i-1', status: 'queued', visibility: 'private', size: 10 }
              : { imageID: 'i-1', imageStatus: 'active' },
          ],
        }),
    })
    expect(await h.client.image.getImage({ regionID: 'r1', imageID: 'i-1' })).toMatchObject({
      imageStatus: 'queued',
      imageVisibility: 'private',
      imageSize: 10,
    })
    expect(await h.client.image.probeImage({ regionID: 'r1', imageID: 'i-1' })).toMatchObject({
      state: 'done',
      status: 'active',
    })
    // errorFree=false: a vanished image is an error, not an empty list (doc api 4764, §8.8).
    expect(h.sent('/v4/image/detail')[0]!.rawQuery).toBe('errorFree=false&imageID=i-1&regionID=r1')
  })

  it('fails a wait at once when the image no longer exists (Image.ImageCheck.NotFound), and getImage says undefined', async () => {
    h.route({
      '/v4/image/detail': (_r, n) =>
        n === 0
          ? ok({ images: [{ imageID: 'i-1', imageStatus: 'saving' }] })
          : fail('Image.ImageCheck.NotFound', '镜像不存在'),
    })
    await expect(h.client.image.waitForImage({ regionID: 'r1', imageID: 'i-1' }, h.wait)).rejects.toMatchObject({
      name: 'CtyunResourceFailedError',
      status: 'not-found',
    })
    expect(h.sent('/v4/image/detail')).toHaveLength(2)
    expect(await h.client.image.getImage({ regionID: 'r1', imageID: 'i-1' })).toBeUndefined()
  })

  it('creates from an instance and waits for active', async () => {
    h.route({
      '/v4/image/create': ok({ images: [{ imageID: 'i-2', imageStatus: 'queued' }] }),
      '/v4/image/detail': (_r, n) => ok({ images: [{ imageID: 'i-2', imageStatus: n < 2 ? 'saving' : 'active' }] }),
    })
    const image = await h.client.image.createImageFromInstance({
      regionID: 'r1',
      instanceID: 'vm-1',
      imageName: 'nightly-img-1',
    })
    expect(h.sent('/v4/image/create')[0]!.json).toEqual({
      regionID: 'r1',
      instanceID: 'vm-1',
      imageName: 'nightly-img-1',
    })
    expect(await h.client.image.waitForImage({ regionID: 'r1', imageID: image.imageID }, h.wait)).toMatchObject({
      imageStatus: 'active',
    })
  })

  it('creates from an EBS disk on the EBS host and unwraps the nested reply', async () => {
    h.route({
      '/v4/ebs/create-image-ebs': {
        body: {
          httpstatus: 200,
          httpresult: { statusCode: 800, returnObj: { images: [{ imageID: 'i-3', status: 'queued' }] } },
        },
      },
    })
    expect(
      await h.client.image.createImageFromDisk({ regionID: 'r1', diskID: 'd-1', imageName: 'disk-img' }),
    ).toMatchObject({ imageID: 'i-3', imageStatus: 'queued' })
  })

  it('rejects an invalid image name before sending', async () => {
    await expect(
      h.client.image.createImageFromSnapshot({ regionID: 'r1', snapshotID: 's', imageName: '9bad-' }),
    ).rejects.toMatchObject({ field: 'imageName' })
    expect(h.server.requests).toHaveLength(0)
  })

  it('finds a cross-region copy by name in the destination region', async () => {
    h.route({
      '/v4/image/cross-region-copy': ok({}),
      '/v4/image/list': (r, n) =>
        ok({
          images:
            n === 0
              ? []
              : [
                  { imageID: 'other', imageName: 'copy-1-old' },
                  { imageID: 'i-9', imageName: r.query.get('imageName'), imageStatus: n === 1 ? 'syncing' : 'active' },
                ],
        }),
    })
    await h.client.image.copyImageToRegion({
      regionID: 'r1',
      destinationRegionID: 'r2',
      imageID: 'i-1',
      imageName: 'copy-1',
    })
    expect(h.sent('/v4/image/cross-region-copy')[0]!.json).toEqual({
      regionID: 'r1',
      destinationRegionID: 'r2',
      imageID: 'i-1',
      imageName: 'copy-1',
    })
    const copy = await h.client.image.waitForImageCopy({ destinationRegionID: 'r2', imageName: 'copy-1' }, h.wait)
    expect(copy.imageID).toBe('i-9')
    expect(h.sent('/v4/image/list')[0]!.rawQuery).toBe(
      'imageName=copy-1&imageVisibilityCode=0&pageNo=1&pageSize=50&regionID=r2',
    )
  })

  it('fails the copy wait at once on an error status and times out naming the last status', async () => {
    h.route({ '/v4/image/list': ok({ images: [{ imageID: 'i-x', imageName: 'copy-2', imageStatus: 'error' }] }) })
    await expect(
      h.client.image.waitForImageCopy({ destinationRegionID: 'r2', imageName: 'copy-2' }, h.wait),
    ).rejects.toBeInstanceOf(CtyunResourceFailedError)
    h.route({ '/v4/image/list': ok({ images: [] }) })
    await expect(
      h.client.image.waitForImageCopy(
        { destinationRegionID: 'r2', imageName: 'copy-3' },
        { ...h.wait, timeoutMs: 20_000 },
      ),
    ).rejects.toMatchObject({
      name: 'CtyunWaitTimeoutError',
      lastStatus: 'not-found',
    } satisfies Partial<CtyunWaitTimeoutError>)
  })

  it('same-region copy and copy destinations', async () => {
    h.route({ '/v4/image/copy': ok({}), '/v4/image/list-supported-dest-crr-regions': ok({ regions: ['r2', 'r3'] }) })
    await h.client.image.copyImage({ regionID: 'r1', imageID: 'i-1', imageName: 'same-copy' })
    expect(h.sent('/v4/image/copy')[0]!.json).toEqual({ regionID: 'r1', imageID: 'i-1', imageName: 'same-copy' })
    expect(await h.client.image.listCopyDestinations({ regionID: 'r1' })).toEqual(['r2', 'r3'])
  })
})

describe('image copy decided from the destination, not from error codes', () => {
  const source = {
    imageID: 'src-1',
    imageName: 'golden',
    imageStatus: 'active',
    imageVisibility: 'private',
    imageType: null,
    osType: 'linux',
    osDistro: 'CentOS',
    osVersion: '7.9',
    architecture: 'x86_64',
    diskSize: 40,
  }
  const copyOf = (fields: Record<string, unknown>) => ({
    ...source,
    imageID: 'copy-1',
    imageName: 'golden',
    imageStatus: 'queued',
    ...fields,
  })
  const params = { regionID: 'r1', destinationRegionID: 'r2', imageID: 'src-1', imageName: 'golden' }

  it('adopts a copy of this image already in the destination without copying again', async () => {
    h.route({
      '/v4/image/detail': ok({ images: [source] }),
      '/v4/image/list': ok({ images: [copyOf({ imageStatus: 'saving' })] }),
    })
    expect(await h.client.image.startImageCopy(params)).toMatchObject({
      outcome: 'adopted',
      image: { imageID: 'copy-1' },
    })
    expect(h.sent('/v4/image/cross-region-copy')).toHaveLength(0)
  })

  it('adopts the copy another caller started a moment ago, whatever code the refusal carried', async () => {
    h.route({
      '/v4/image/detail': ok({ images: [source] }),
      '/v4/image/cross-region-copy': fail('Image.Whatever.Unknown', '名称已存在'),
      '/v4/image/list': (_r, n) => ok({ images: n === 0 ? [] : [copyOf({})] }),
    })
    expect(await h.client.image.startImageCopy(params)).toMatchObject({
      outcome: 'adopted',
      image: { imageID: 'copy-1' },
    })
    expect(h.sent('/v4/image/cross-region-copy')).toHaveLength(1)
  })

  it('reports the copy blocked by another copy of the same image in flight under another name', async () => {
    h.route({
      '/v4/image/detail': ok({ images: [source] }),
      '/v4/image/cross-region-copy': fail('Image.Busy.Unknown', '处理中'),
      '/v4/image/list': (r) =>
        ok({
          images: r.query.get('imageName')
            ? []
            : [
                { ...copyOf({ imageID: 'x', imageName: 'other', osDistro: 'Ubuntu' }) },
                copyOf({ imageID: 'copy-9', imageName: 'golden-b' }),
              ],
        }),
    })
    expect(await h.client.image.startImageCopy(params)).toMatchObject({ outcome: 'blocked', by: { imageID: 'copy-9' } })
  })

  it('throws the refusal as it came when the destination explains nothing, after calling once more', async () => {
    h.route({
      '/v4/image/detail': ok({ images: [source] }),
      '/v4/image/cross-region-copy': fail('Image.Quota.Exceeded', '配额不足'),
      '/v4/image/list': ok({ images: [] }),
    })
    await expect(h.client.image.startImageCopy(params)).rejects.toMatchObject({
      name: 'CtyunApiError',
      errorCode: 'Image.Quota.Exceeded',
    })
    expect(h.sent('/v4/image/cross-region-copy')).toHaveLength(2)
  })

  it('starts the copy when the copy that refused it finished before the destination was read again', async () => {
    h.route({
      '/v4/image/detail': ok({ images: [source] }),
      // Refused while copy-9 (golden-b) was in flight; by the re-read, copy-9 is active: nothing blocks any more.
      '/v4/image/cross-region-copy': (_r, n) => (n === 0 ? fail('Image.Busy.Unknown', '处理中') : ok({})),
      '/v4/image/list': (r) =>
        ok({
          images: r.query.get('imageName')
            ? []
            : [copyOf({ imageID: 'copy-9', imageName: 'golden-b', imageStatus: 'active' })],
        }),
    })
    expect(await h.client.image.startImageCopy(params)).toMatchObject({ outcome: 'started', imageName: 'golden' })
    expect(h.sent('/v4/image/cross-region-copy')).toHaveLength(2)
  })

  it('refuses to adopt a same-named image that is not a copy of this one, naming imageName', async () => {
    h.route({
      '/v4/image/detail': ok({ images: [source] }),
      '/v4/image/list': ok({ images: [copyOf({ imageStatus: 'active', osDistro: 'Ubuntu' })] }),
    })
    await expect(h.client.image.startImageCopy(params)).rejects.toMatchObject({
      name: 'CtyunInputError',
      field: 'imageName',
      message: expect.stringMatching(/osDistro "Ubuntu", not "CentOS"/),
    })
    expect(h.sent('/v4/image/cross-region-copy')).toHaveLength(0)
  })

  it('copies again over a copy that failed, and sends a same-region copy to /v4/image/copy', async () => {
    h.route({
      '/v4/image/detail': ok({ images: [source] }),
      '/v4/image/list': ok({ images: [copyOf({ imageStatus: 'error', imageName: 'golden-2' })] }),
      '/v4/image/copy': ok({}),
    })
    expect(
      await h.client.image.startImageCopy({
        ...params,
        destinationRegionID: 'r1',
        imageName: 'golden-2',
        cmkID: 'k-1',
      }),
    ).toMatchObject({ outcome: 'started' })
    expect(h.sent('/v4/image/copy')[0]!.json).toEqual({
      regionID: 'r1',
      imageID: 'src-1',
      imageName: 'golden-2',
      cmkID: 'k-1',
    })
  })
})
