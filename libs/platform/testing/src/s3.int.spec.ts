import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createBucket, s3Client, startS3, useHarness } from './index';

describe('startS3', () => {
  useHarness();

  it('serves PutObject / GetObject / ListObjectsV2 through @aws-sdk/client-s3', async () => {
    const s3 = await startS3({ bucket: 'segments' });
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = s3Client(s3);
    await client.send(new PutObjectCommand({ Bucket: 'segments', Key: 't-1/orders/0/00000000000000000000.log', Body: Buffer.from([1, 2, 3, 255]) }));
    await client.send(new PutObjectCommand({ Bucket: 'segments', Key: 't-1/orders/0/00000000000000000100.log', Body: 'second' }));
    await client.send(new PutObjectCommand({ Bucket: 'segments', Key: 't-2/other/0/a.log', Body: 'other tenant' }));

    const got = await client.send(new GetObjectCommand({ Bucket: 'segments', Key: 't-1/orders/0/00000000000000000000.log' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? [])).toEqual(Buffer.from([1, 2, 3, 255]));

    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'segments', Prefix: 't-1/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([
      't-1/orders/0/00000000000000000000.log',
      't-1/orders/0/00000000000000000100.log',
    ]);
  });

  it('fails requests while stopped and serves the same data on the same endpoint after restart()', async () => {
    const s3 = await startS3();
    const client = s3Client(s3);
    await createBucket(client, 'bkt');
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: 'k', Body: 'survives' }));

    await s3.stop();
    await expect(client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'k' }))).rejects.toThrow();

    await s3.restart();
    const got = await client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'k' }));
    expect(await got.Body?.transformToString()).toBe('survives');
  });

  it('rejects credentials other than the server’s', async () => {
    const s3 = await startS3({ bucket: 'bkt' });
    const client = s3Client({ ...s3, accessKeyId: 'WRONG', secretAccessKey: 'WRONG' });
    await expect(client.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'k' }))).rejects.toThrow(/InvalidAccessKeyId|access key/i);
  });
});
