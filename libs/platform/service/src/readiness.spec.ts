import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is not ready while starting, nor once stopping', async () => {
    const readiness = new Readiness();
    expect(await readiness.evaluate()).toEqual({ ready: false, failing: ['startup'] });
    readiness.markStarted();
    expect(await readiness.evaluate()).toEqual({ ready: true, failing: [] });
    readiness.markStopping();
    expect(await readiness.evaluate()).toEqual({ ready: false, failing: ['shutdown'] });
    readiness.markStarted();
    expect(readiness.stopping).toBe(true);
  });

  it('lists every failing check: false, thrown, rejected or too slow', async () => {
    const readiness = new Readiness();
    readiness.add('ok', () => true);
    readiness.add('etcd', () => false);
    readiness.add('disk', () => {
      throw new Error('EIO');
    });
    readiness.add('cache', async () => Promise.reject(new Error('cold')));
    readiness.add('hung', () => new Promise<boolean>(() => undefined));
    readiness.markStarted();
    expect(await readiness.evaluate({ timeoutMs: 20 })).toEqual({ ready: false, failing: ['etcd', 'disk', 'cache', 'hung'] });
  });

  it('follows a check that changes', async () => {
    let up = false;
    const readiness = new Readiness();
    readiness.add('etcd', () => up);
    readiness.markStarted();
    expect((await readiness.evaluate()).ready).toBe(false);
    up = true;
    expect((await readiness.evaluate()).ready).toBe(true);
  });

  it('refuses two checks with one name', () => {
    const readiness = new Readiness();
    readiness.add('etcd', () => true);
    expect(() => readiness.add('etcd', () => true)).toThrow('registered twice');
  });
});
