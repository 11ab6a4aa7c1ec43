import { createServer } from 'node:net';
import { ephemeralPortRange, freePort, freePorts, pickFreePorts } from './ports';

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

describe('free ports', () => {
  it('reads the ephemeral port range', () => {
    const { low, high } = ephemeralPortRange();
    expect(low).toBeGreaterThan(1023);
    expect(high).toBeGreaterThanOrEqual(low);
  });

  it('hands out distinct bindable ports below the ephemeral range, where outgoing connections never take one', async () => {
    const { low } = ephemeralPortRange();
    const ports = [...(await freePorts(7)), await freePort()];
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low);
      expect(await canBind(port)).toBe(true);
    }
  });

  it('skips candidates that are in use or already chosen, and falls back to a kernel-chosen port', async () => {
    const [busyPort, freeCandidate] = await freePorts(2);
    const busy = createServer();
    await new Promise<void>((resolve, reject) => {
      busy.once('error', reject);
      busy.listen({ host: '127.0.0.1', port: busyPort, exclusive: true }, () => resolve());
    });
    try {
      const candidates = [busyPort, freeCandidate, freeCandidate];
      const tried: number[] = [];
      const ports = await pickFreePorts(2, () => {
        const next = candidates.shift();
        if (next !== undefined) tried.push(next);
        return next;
      });
      // The busy port was tried and skipped, the free one taken once (not twice), and the second
      // port came from the kernel when the candidates ran out.
      expect(tried).toEqual([busyPort, freeCandidate, freeCandidate]);
      expect(ports[0]).toBe(freeCandidate);
      expect(ports[1]).not.toBe(freeCandidate);
      expect(ports[1]).not.toBe(busyPort);
      expect(await canBind(ports[1] as number)).toBe(true);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('never picks an excluded port, even when it is free', async () => {
    const [promised, other] = await freePorts(2);
    const candidates = [promised as number, promised as number, other as number];
    const ports = await pickFreePorts(1, () => candidates.shift(), [promised as number]);
    // The promised port was free (nothing bound it) yet skipped both times; the next candidate won.
    expect(await canBind(promised as number)).toBe(true);
    expect(ports).toEqual([other]);
    expect(await freePorts(20, [promised as number])).not.toContain(promised);
  });
});
