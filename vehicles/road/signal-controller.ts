/**
 * A fixed-time traffic-signal controller: a cycle of phases, each giving
 * right of way to some signal groups for a green time, then yellow, then an
 * all-red clearance, repeated forever, shifted by an offset (for green
 * waves along a corridor). A signal group is one movement's light (SAE J2735
 * SPaT's signalGroup); groups outside the running phase are red.
 *
 * `stateAt(group, t)` and `timeToChange(group, t)` are what a SPaT message
 * carries (eventState and timeToChange). Both are pure functions of t.
 */
export type SignalState = 'green' | 'yellow' | 'red';

export interface SignalPhase {
  /** Groups that get green in this phase. */
  signalGroups: string[];
  greenS: number;
  yellowS: number;
  /** All-red clearance after the yellow, s (0 allowed). */
  allRedS: number;
}

export interface FixedTimeControllerDescriptor {
  id: string;
  /** Time of the start of phase 0, s, modulo the cycle. */
  offsetS: number;
  phases: SignalPhase[];
}

interface Interval {
  /** Start within the cycle, s. */
  start: number;
  end: number;
  state: SignalState;
}

export class FixedTimeController {
  readonly id: string;
  readonly offsetS: number;
  readonly cycleS: number;
  readonly phases: readonly SignalPhase[];
  /** Per group, its state over one cycle: adjacent equal states merged. */
  private readonly timeline = new Map<string, Interval[]>();

  constructor(d: FixedTimeControllerDescriptor) {
    const where = `signal controller ${d.id}`;
    if (d.phases.length === 0) throw new RangeError(`${where}: needs at least one phase`);
    let cycle = 0;
    for (const [i, p] of d.phases.entries()) {
      for (const [k, v] of [['greenS', p.greenS], ['yellowS', p.yellowS], ['allRedS', p.allRedS]] as const) {
        if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`${where}: phase ${i} ${k} must be finite and >= 0, got ${v}`);
      }
      cycle += p.greenS + p.yellowS + p.allRedS;
    }
    if (!(cycle > 0)) throw new RangeError(`${where}: the cycle must be longer than 0 s`);
    if (!Number.isFinite(d.offsetS)) throw new RangeError(`${where}: offsetS must be finite`);
    this.id = d.id;
    this.offsetS = d.offsetS;
    this.cycleS = cycle;
    this.phases = d.phases;

    const groups = [...new Set(d.phases.flatMap((p) => p.signalGroups))];
    for (const g of groups) {
      const raw: Interval[] = [];
      let t = 0;
      for (const p of d.phases) {
        const mine = p.signalGroups.includes(g);
        push(raw, t, t + p.greenS, mine ? 'green' : 'red');
        push(raw, t + p.greenS, t + p.greenS + p.yellowS, mine ? 'yellow' : 'red');
        push(raw, t + p.greenS + p.yellowS, t + p.greenS + p.yellowS + p.allRedS, 'red');
        t += p.greenS + p.yellowS + p.allRedS;
      }
      this.timeline.set(g, raw);
    }
  }

  /** Signal groups this controller drives. */
  get signalGroups(): string[] {
    return [...this.timeline.keys()];
  }

  /** State of `group` at simulation time t, s. */
  stateAt(group: string, t: number): SignalState {
    const iv = this.intervals(group);
    return iv[this.indexAt(iv, t)]!.state;
  }

  /**
   * Seconds from t until `group` next changes state (SPaT timeToChange;
   * Infinity for a group that never changes).
   */
  timeToChange(group: string, t: number): number {
    const iv = this.intervals(group);
    if (iv.length === 1) return Infinity;
    const tau = this.cycleTime(t);
    let i = this.indexAt(iv, t);
    const state = iv[i]!.state;
    let remaining = iv[i]!.end - tau;
    // The interval may run on across the end of the cycle.
    for (let k = 1; k < iv.length; k++) {
      i = (i + 1) % iv.length;
      if (iv[i]!.state !== state) break;
      remaining += iv[i]!.end - iv[i]!.start;
    }
    return remaining;
  }

  /** Time within the cycle, in [0, cycle). */
  cycleTime(t: number): number {
    const c = this.cycleS;
    const tau = (t - this.offsetS) % c;
    return tau < 0 ? tau + c : tau;
  }

  private intervals(group: string): Interval[] {
    const iv = this.timeline.get(group);
    if (!iv) throw new RangeError(`signal controller ${this.id}: no signal group ${group}; it has ${this.signalGroups.join(', ')}`);
    return iv;
  }

  private indexAt(iv: Interval[], t: number): number {
    const tau = this.cycleTime(t);
    for (let i = 0; i < iv.length; i++) if (tau < iv[i]!.end) return i;
    return iv.length - 1;
  }

  descriptor(): FixedTimeControllerDescriptor {
    return { id: this.id, offsetS: this.offsetS, phases: this.phases.map((p) => ({ ...p, signalGroups: [...p.signalGroups] })) };
  }
}

function push(out: Interval[], start: number, end: number, state: SignalState): void {
  if (!(end > start)) return;
  const last = out[out.length - 1];
  if (last && last.state === state) last.end = end;
  else out.push({ start, end, state });
}
