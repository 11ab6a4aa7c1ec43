import { OrderedResponses } from './ordered-responses';

describe('OrderedResponses', () => {
  it('emits in dispatch order when handlers complete out of order', () => {
    const emitted: string[] = [];
    const queue = new OrderedResponses<string>((v) => emitted.push(v));
    const [a, b, c] = [queue.take(), queue.take(), queue.take()];
    c('c');
    b('b');
    expect(emitted).toEqual([]);
    expect(queue.pending).toBe(3);
    a('a');
    expect(emitted).toEqual(['a', 'b', 'c']);
    expect(queue.pending).toBe(0);
  });

  it('keeps order over many random completions', () => {
    const emitted: number[] = [];
    const queue = new OrderedResponses<number>((v) => emitted.push(v));
    const completions = Array.from({ length: 200 }, (_, i) => ({ i, done: queue.take() }));
    for (let k = completions.length - 1; k > 0; k--) {
      const j = (k * 7919) % (k + 1);
      [completions[k], completions[j]] = [completions[j] as (typeof completions)[number], completions[k] as (typeof completions)[number]];
    }
    for (const { i, done } of completions) done(i);
    expect(emitted).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('refuses a double completion and ignores completions after clear()', () => {
    const emitted: string[] = [];
    const queue = new OrderedResponses<string>((v) => emitted.push(v));
    const first = queue.take();
    const second = queue.take();
    first('x');
    expect(() => first('y')).toThrow(/twice/);
    queue.clear();
    second('late');
    expect(emitted).toEqual(['x']);
    expect(queue.pending).toBe(0);
  });
});
