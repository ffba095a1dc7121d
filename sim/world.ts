/**
 * The World: a fixed-step clock over a physics backend, the actors in it,
 * their sensors and agents, and a timeline. One `step()` is the tick of
 * ARCHITECTURE.md: timeline, sense, decide, act, physics, publish. Judging
 * happens in subscribers of `tick$`/`events$` (rxjs Subjects are synchronous,
 * so the order is fixed and runs are deterministic).
 */
import { Subject } from 'rxjs';
import type { Actor, ActorPart } from './actor.ts';
import type { Agent, Observation } from './agent.ts';
import type { BodyHandle, PhysicsBackend } from './physics/backend.ts';
import { Rng } from './rng.ts';
import type { Vec3 } from './math.ts';
import type { OtherActor, Reading, SenseContext, Sensor } from './sensor.ts';
import type { ActorState, SimEvent, TickSnapshot } from './snapshot.ts';

export interface WorldOptions {
  physics: PhysicsBackend;
  /** Fixed physics step, seconds. */
  dt: number;
  seed: number;
}

export interface AttachOptions {
  agent?: Agent;
  sensors?: Sensor[];
  mission?: Record<string, unknown>;
  agentParams?: Record<string, unknown>;
}

/**
 * A world-side service stepped with the world: something that is neither an
 * actor nor a sensor but lives on simulation time (e.g. the V2X radio, which
 * broadcasts from ground truth and fills receivers' inboxes). `tick` runs
 * every step after the timeline and before sensing, with the step's start
 * time; `dispose` runs when the world is disposed.
 */
export interface WorldService {
  tick(time: number, step: number): void;
  /**
   * Optional: runs every step after physics and the actors' ground truth,
   * before the snapshot is published, with the step's END time. An inner
   * loop that sub-steps faster than physics (the gimbal, uav/gimbal/) runs
   * here over the interval the physics just advanced.
   */
  afterPhysics?(time: number, step: number): void;
  dispose?(): void;
}

interface SensorSlot {
  sensor: Sensor;
  periodSteps: number;
  rng: Rng;
  failed: boolean;
}

interface ActorSlot {
  actor: Actor;
  state: ActorState;
  present: boolean;
  agent: Agent | undefined;
  agentPeriodSteps: number;
  command: unknown;
  sensors: SensorSlot[];
  readings: Record<string, Reading | undefined>;
  observation: Observation;
  senseCtx: { physics: PhysicsBackend; self: ActorState; selfBody: number; time: number; others: OtherActor[] };
  /** This actor as other actors' sensors see it; null for terrain (never an object). */
  view: OtherActor | null;
}

interface TimelineEntry {
  at: number;
  name: string;
  order: number;
  fire: (world: World) => void;
}

/** A timeline entry that fires once, at the first tick its condition holds. */
interface ConditionalEntry {
  name: string;
  when: (world: World) => boolean;
  fire: (world: World) => void;
  fired: boolean;
}

/** Build the sensors' view of an actor: its live state, bodies and body-frame bounding box. */
function actorView(actor: Actor, state: ActorState): OtherActor {
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const part of actor.descriptor.parts) addPartBounds(part, lo, hi);
  const boxCenter: Vec3 = [0, 0, 0];
  const halfExtents: Vec3 = [0, 0, 0];
  if (Number.isFinite(lo[0])) {
    for (let i = 0; i < 3; i++) {
      boxCenter[i] = (lo[i]! + hi[i]!) / 2;
      halfExtents[i] = (hi[i]! - lo[i]!) / 2;
    }
  }
  return { id: actor.id, kind: actor.kind, state, bodies: actor.bodies, boxCenter, halfExtents };
}

/** Grow [lo, hi] by one part's axis-aligned bounds in the actor frame (|R| h for a rotated box). */
function addPartBounds(part: ActorPart, lo: Vec3, hi: Vec3): void {
  const sh = part.shape;
  const h: Vec3 = sh.type === 'box' ? sh.halfExtents : sh.type === 'sphere' ? [sh.radius, sh.radius, sh.radius] : [sh.radius, sh.radius, sh.halfHeight];
  const [x, y, z, w] = part.offset.rotation;
  // Rotation matrix of the part's quaternion, row by row.
  const r = [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
  for (let i = 0; i < 3; i++) {
    const e = Math.abs(r[3 * i]!) * h[0] + Math.abs(r[3 * i + 1]!) * h[1] + Math.abs(r[3 * i + 2]!) * h[2];
    const c = part.offset.position[i]!;
    lo[i] = Math.min(lo[i]!, c - e);
    hi[i] = Math.max(hi[i]!, c + e);
  }
}

/** Steps between samples for a rate: rates quantise to the physics step. */
export function periodInSteps(rateHz: number, dt: number): number {
  if (!(rateHz > 0)) throw new RangeError(`rate must be > 0 Hz, got ${rateHz}`);
  return Math.max(1, Math.round(1 / (rateHz * dt)));
}

export class World {
  readonly physics: PhysicsBackend;
  readonly dt: number;
  readonly seed: number;
  readonly tick$ = new Subject<TickSnapshot>();
  readonly events$ = new Subject<SimEvent>();

  private stepIndex = 0;
  private readonly slots: ActorSlot[] = [];
  private readonly byId = new Map<string, ActorSlot>();
  private readonly bodyOwner = new Map<BodyHandle, ActorSlot>();
  private readonly timeline: TimelineEntry[] = [];
  private timelineCursor = 0;
  private timelineOrder = 0;
  private readonly conditional: ConditionalEntry[] = [];
  private readonly snap: TickSnapshot = { step: 0, time: 0, actors: [] };
  private stopReason: string | null = null;
  private disposed = false;
  private readonly services: WorldService[] = [];

  constructor(opts: WorldOptions) {
    if (!(opts.dt > 0) || !Number.isFinite(opts.dt)) throw new RangeError(`dt must be a positive number of seconds, got ${opts.dt}`);
    this.physics = opts.physics;
    this.dt = opts.dt;
    this.seed = opts.seed;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.stepIndex;
  }

  /** Simulation time, seconds (step count times dt: no accumulated rounding). */
  get time(): number {
    return this.stepIndex * this.dt;
  }

  get stopped(): boolean {
    return this.stopReason !== null;
  }

  get stoppedBecause(): string | null {
    return this.stopReason;
  }

  /** The latest snapshot (reused between ticks; see snapshot.ts). */
  get snapshot(): TickSnapshot {
    return this.snap;
  }

  /** A named random stream under the world's seed. */
  rng(stream: string): Rng {
    return Rng.stream(this.seed, stream);
  }

  addActor(actor: Actor, opts: AttachOptions = {}): void {
    if (this.byId.has(actor.id)) throw new Error(`duplicate actor id '${actor.id}'`);
    const state: ActorState = {
      id: actor.id,
      kind: actor.kind,
      position: [0, 0, 0],
      rotation: [0, 0, 0, 1],
      linearVelocity: [0, 0, 0],
      angularVelocity: [0, 0, 0],
      present: true,
    };
    actor.groundTruth(this.physics, state);
    const readings: Record<string, Reading | undefined> = {};
    const sensors = (opts.sensors ?? []).map((sensor) => {
      if (sensor.name in readings) throw new Error(`actor '${actor.id}' has two sensors named '${sensor.name}'`);
      readings[sensor.name] = undefined;
      return {
        sensor,
        periodSteps: periodInSteps(sensor.rateHz, this.dt),
        rng: this.rng(`sensor/${actor.id}/${sensor.name}`),
        failed: false,
      };
    });
    const view = actor.descriptor.isTerrain ? null : actorView(actor, state);
    // Only actors with sensors keep a list of the others (O(sensing actors x actors) memory, built here, not per tick).
    const others: OtherActor[] = [];
    if (sensors.length > 0) for (const s of this.slots) if (s.present && s.view) others.push(s.view);
    if (view) for (const s of this.slots) if (s.sensors.length > 0) s.senseCtx.others.push(view);
    const slot: ActorSlot = {
      actor,
      state,
      present: true,
      agent: opts.agent,
      agentPeriodSteps: opts.agent ? periodInSteps(opts.agent.rateHz, this.dt) : 1,
      command: undefined,
      sensors,
      readings,
      observation: { time: 0, sensors: readings, v2x: [] },
      senseCtx: { physics: this.physics, self: state, selfBody: actor.body, time: 0, others },
      view,
    };
    this.slots.push(slot);
    this.byId.set(actor.id, slot);
    for (const b of actor.bodies) this.bodyOwner.set(b, slot);
    this.snap.actors.push(state);
    opts.agent?.reset({
      actorId: actor.id,
      actorKind: actor.kind,
      mission: opts.mission ?? {},
      params: opts.agentParams ?? {},
      rng: this.rng(`agent/${actor.id}`),
    });
  }

  /** Remove an actor's bodies; it stays in snapshots with `present: false` at its last pose. */
  removeActor(id: string): void {
    const slot = this.slotOf(id);
    if (!slot.present) return;
    slot.actor.destroy(this.physics);
    slot.present = false;
    slot.state.present = false;
    slot.state.linearVelocity.fill(0);
    slot.state.angularVelocity.fill(0);
    // Its bodies are gone, so no sensor can see it any more.
    if (slot.view) {
      for (const s of this.slots) {
        const i = s.senseCtx.others.indexOf(slot.view);
        if (i >= 0) s.senseCtx.others.splice(i, 1);
      }
    }
  }

  hasActor(id: string): boolean {
    return this.byId.has(id);
  }

  actor(id: string): Actor {
    return this.slotOf(id).actor;
  }

  /** Ids of actors driven by an agent, in insertion order. */
  agentDriven(): string[] {
    return this.slots.filter((s) => s.agent).map((s) => s.actor.id);
  }

  actors(): Actor[] {
    return this.slots.map((s) => s.actor);
  }

  /** Ground truth of one actor (the live object; copy it to keep it). */
  stateOf(id: string): ActorState {
    return this.slotOf(id).state;
  }

  /** The latest reading of one of an actor's sensors (what its agent sees; for tests and debugging views). */
  readingOf(actorId: string, sensorName: string): Reading | undefined {
    return this.slotOf(actorId).readings[sensorName];
  }

  /** The sensors mounted on an actor, in the order attached (for debugging views: type, name, mount). */
  sensorsOf(actorId: string): readonly Sensor[] {
    return this.slotOf(actorId).sensors.map((s) => s.sensor);
  }

  /** The agent driving an actor, if any (for debugging views that read what an agent reports about itself). */
  agentOf(actorId: string): Agent | undefined {
    return this.slotOf(actorId).agent;
  }

  /** Mark a sensor failed (it stops producing samples) or restored. */
  setSensorFailed(actorId: string, sensorName: string, failed: boolean): void {
    const slot = this.slotOf(actorId);
    const s = slot.sensors.find((x) => x.sensor.name === sensorName);
    if (!s) throw new Error(`actor '${actorId}' has no sensor '${sensorName}'`);
    s.failed = failed;
    // A failed sensor's last reading turns unhealthy; on restore it stays so until a fresh sample.
    const r = slot.readings[sensorName];
    if (r && failed) r.healthy = false;
    this.emit({ type: 'fault', time: this.time, actor: actorId, target: sensorName, detail: failed ? 'sensor failed' : 'sensor restored' });
  }

  /** Step `service` with the world from now on (services tick in the order added). */
  addService(service: WorldService): void {
    this.services.push(service);
  }

  /** Schedule `fire` at simulation time `at` (seconds); same-time entries fire in scheduling order. */
  schedule(at: number, name: string, fire: (world: World) => void): void {
    if (!(at >= 0) || !Number.isFinite(at)) throw new RangeError(`timeline time must be >= 0 s, got ${at}`);
    this.timeline.push({ at, name, order: this.timelineOrder++, fire });
    this.timeline.sort((a, b) => a.at - b.at || a.order - b.order);
  }

  /**
   * Fire `fire` once, at the start of the first tick at which `when` holds
   * (checked every tick after the timed entries, in scheduling order). The
   * condition reads the world's ground truth: it is the scenario's trigger,
   * not an agent's perception.
   */
  scheduleWhen(name: string, when: (world: World) => boolean, fire: (world: World) => void): void {
    this.conditional.push({ name, when, fire, fired: false });
  }

  /** End the run after the current tick. The first reason wins. */
  stop(reason: string): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    this.emit({ type: 'stop', time: this.time, reason });
  }

  emit(e: SimEvent): void {
    this.events$.next(e);
  }

  /** Advance one fixed step. */
  step(): void {
    if (this.disposed) throw new Error('world is disposed');
    const t = this.time;
    const k = this.stepIndex;

    // 1. timeline
    while (this.timelineCursor < this.timeline.length) {
      const entry = this.timeline[this.timelineCursor]!;
      if (entry.at > t + 1e-9) break;
      this.timelineCursor++;
      entry.fire(this);
      this.emit({ type: 'timeline', time: t, event: entry.name, detail: '' });
    }
    for (let i = 0; i < this.conditional.length; i++) {
      const c = this.conditional[i]!;
      if (c.fired || !c.when(this)) continue;
      c.fired = true;
      c.fire(this);
      this.emit({ type: 'timeline', time: t, event: c.name, detail: 'condition met' });
    }

    for (let i = 0; i < this.services.length; i++) this.services[i]!.tick(t, k);

    const slots = this.slots;
    // 2. sense
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (!slot.present || slot.sensors.length === 0) continue;
      slot.senseCtx.time = t;
      for (let j = 0; j < slot.sensors.length; j++) {
        const s = slot.sensors[j]!;
        if (s.failed || k % s.periodSteps !== 0) continue;
        const value = s.sensor.sample(slot.senseCtx as SenseContext, s.rng);
        const healthy = s.sensor.healthy ? s.sensor.healthy() : true;
        const r = slot.readings[s.sensor.name];
        if (r) {
          r.time = t;
          r.value = value;
          r.healthy = healthy;
        } else {
          slot.readings[s.sensor.name] = { time: t, value, healthy };
        }
      }
    }

    // 3. decide
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (!slot.present || !slot.agent || k % slot.agentPeriodSteps !== 0) continue;
      slot.observation.time = t;
      try {
        slot.command = slot.agent.act(slot.observation, t);
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        this.emit({ type: 'agent-error', time: t, actor: slot.actor.id, detail });
        this.stop(`agent of '${slot.actor.id}' threw: ${detail}`);
        slot.command = undefined;
      }
    }

    // 4. act
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.present && !slot.actor.descriptor.isStatic) slot.actor.applyCommand(this.physics, slot.command, this.dt, slot.state);
    }

    // 5. physics
    this.physics.step(this.dt);
    this.stepIndex = k + 1;
    const now = this.time;

    // 6. publish: ground truth, then the step's contacts, then the snapshot
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (slot.present && !slot.actor.descriptor.isStatic) slot.actor.groundTruth(this.physics, slot.state);
    }
    for (let i = 0; i < this.services.length; i++) this.services[i]!.afterPhysics?.(now, k);
    const contacts = this.physics.drainContacts();
    for (let i = 0; i < contacts.length; i++) {
      const c = contacts[i]!;
      const a = this.bodyOwner.get(c.a);
      const b = this.bodyOwner.get(c.b);
      if (!a || !b || a === b) continue;
      this.emit({ type: 'collision', time: now, a: a.actor.id, b: b.actor.id, started: c.started });
    }
    this.snap.step = this.stepIndex;
    this.snap.time = now;
    this.tick$.next(this.snap);
  }

  /** Free every engine resource and complete the streams. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.services) s.dispose?.();
    this.tick$.complete();
    this.events$.complete();
    this.physics.free();
  }

  private slotOf(id: string): ActorSlot {
    const slot = this.byId.get(id);
    if (!slot) throw new Error(`no actor '${id}' in the world`);
    return slot;
  }
}
