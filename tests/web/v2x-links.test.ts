/** The links the V2X overlay draws: delivered copies, held one message period, then dropped. */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { V2xLink, V2xService } from '../../vehicles/v2x/v2x-service.ts';
import { RecentV2xLinks } from '../../web/v2x-links.ts';
import { FIXTURES } from '../helpers.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { startRun } from '../../scenarios/runner.ts';
import { V2xService as Service } from '../../vehicles/v2x/v2x-service.ts';

const fake = () => {
  const links$ = new Subject<V2xLink>();
  return { links$, service: { links$ } as unknown as V2xService };
};
const deliver = (s: Subject<V2xLink>, from: string, to: string, t: number) =>
  s.next({ senderId: from, receiverId: to, kind: 'bsm', sentAtS: t - 0.1, deliveredAtS: t });

describe('RecentV2xLinks', () => {
  it('holds a link for 0.15 s after its latest delivery, then drops it', () => {
    const { links$, service } = fake();
    const r = new RecentV2xLinks(service);
    deliver(links$, 'a', 'ego', 1.0);
    deliver(links$, 'rsu/x', 'ego', 1.05);
    expect(r.current(1.1)).toEqual([['a', 'ego'], ['rsu/x', 'ego']]);
    expect(r.current(1.17)).toEqual([['rsu/x', 'ego']]);
    deliver(links$, 'a', 'ego', 1.2);
    expect(r.current(1.25)).toEqual([['a', 'ego']]);
    expect(r.current(2)).toEqual([]);
    r.dispose();
    deliver(links$, 'b', 'ego', 2);
    expect(r.current(2)).toEqual([]);
  });

  it('on a real run, draws exactly the pairs the radio delivered', async () => {
    const run = await startRun(loadScenarioFile(`${FIXTURES}/cars/v2x-bsm.yaml`), { backend: 'rapier' });
    const service = Service.of(run.world)!;
    const r = new RecentV2xLinks(service);
    const delivered = new Set<string>();
    service.links$.subscribe((l) => delivered.add(`${l.senderId}>${l.receiverId}`));
    run.step(100);
    const drawn = r.current(run.time).map(([a, b]) => `${a}>${b}`);
    expect(drawn.length).toBeGreaterThan(0);
    for (const d of drawn) expect(delivered.has(d)).toBe(true);
    run.dispose();
  });
});
