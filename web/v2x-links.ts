/**
 * The V2X links to draw: every (sender, receiver) pair whose latest delivery
 * is at most `holdS` of simulation time old. BSMs and SPaT arrive at 10 Hz,
 * so a link that is up gets a copy every 0.1 s; the view steps several
 * physics ticks per frame and the service keeps only the latest tick's
 * deliveries, so drawing just those would flicker. Holding each link for a
 * little more than one message period shows a steady link while the radio
 * delivers, and drops it within 0.15 s when it stops (loss, range, line of
 * sight). Only delivered copies are drawn: the channel's outcome, never a
 * link guessed from distances.
 */
import type { Subscription } from 'rxjs';
import type { V2xService } from '../vehicles/v2x/v2x-service.ts';
import type { V2xLinks } from './v2x-overlay.ts';

/** One BSM/SPaT period (10 Hz, SAE J2735 / J2945/1) plus half a period of slack, s. */
const HOLD_S = 0.15;

interface Entry {
  pair: [string, string];
  deliveredAtS: number;
}

export class RecentV2xLinks {
  private readonly bySender = new Map<string, Map<string, Entry>>();
  private readonly out: [string, string][] = [];
  private readonly sub: Subscription;
  private latestS = -Infinity;

  constructor(service: V2xService, private readonly holdS = HOLD_S) {
    this.sub = service.links$.subscribe((l) => {
      let byReceiver = this.bySender.get(l.senderId);
      if (!byReceiver) this.bySender.set(l.senderId, (byReceiver = new Map()));
      const e = byReceiver.get(l.receiverId);
      if (e) e.deliveredAtS = l.deliveredAtS;
      else byReceiver.set(l.receiverId, { pair: [l.senderId, l.receiverId], deliveredAtS: l.deliveredAtS });
      if (l.deliveredAtS > this.latestS) this.latestS = l.deliveredAtS;
    });
  }

  /** Links delivered within `holdS` of `nowS` (default: the latest delivery's time); the array is reused. */
  current(nowS = this.latestS): V2xLinks {
    const out = this.out;
    out.length = 0;
    for (const byReceiver of this.bySender.values()) {
      for (const e of byReceiver.values()) if (nowS - e.deliveredAtS <= this.holdS) out.push(e.pair);
    }
    return out;
  }

  dispose(): void {
    this.sub.unsubscribe();
  }
}
