/**
 * Perception rays: what each range sensor (a UAV's 360-degree `lidar-3d`, a
 * rover's `range-ring`, a car's `radar`) returned at its last scan, drawn as
 * points where its beams came back, plus a subsampled set of rays from the
 * sensor to them (the radar: its one nearest return, and its ray).
 *
 * The data is the sensor's reading, exactly what the agent received
 * (`World.readingOf`, the same object the agent's observation holds): noisy
 * ranges, no point where a beam had no return, nothing for a failed sensor.
 * Only the placement uses ground truth: the actor's pose when the scan was
 * taken (`ScanPoseLatch`), because that is where the sensor cast from.
 *
 * Buffers are allocated once per sensor, at the size of its scan, and
 * rewritten in place when a new scan arrives (at the sensor's rate, not per
 * frame); nothing is allocated per frame or per scan.
 */
import type { Subscription } from 'rxjs';
import * as THREE from 'three';
import type { Sensor } from '../sim/sensor.ts';
import type { TickSnapshot } from '../sim/snapshot.ts';
import type { World } from '../sim/world.ts';
import { beamDirections, hitPoints, isRadarReturn, isScan, radarAsScan, rayStride, ScanPoseLatch, type ScanLike } from './scan-points.ts';

/** Most rays drawn per sensor (a VLP-16 scan has 28,800 beams: all of them would be a solid disc). */
export const MAX_RAYS_PER_SENSOR = 240;
/** Point size on screen, px (display convention); a radar's single return is drawn larger. */
const POINT_PX = 3;
const RADAR_POINT_PX = 9;
/** Sensor types drawn. */
const DRAWN_TYPES = new Set(['lidar-3d', 'range-ring', 'radar']);
/**
 * Points are coloured by measured range, near red to far cyan, over this
 * span, m (display convention: 0-20 m covers what a drone at 4 m height
 * sees of pillars and of the ground through a +-15 deg lidar).
 */
const COLOR_SPAN_M = 20;
const RAY_COLOR = '#7fd4ff';

interface SensorEntry {
  actorId: string;
  /** Index of the actor's state in the snapshot. */
  index: number;
  sensor: Sensor;
  latch: ScanPoseLatch;
  /** Body-frame beam directions, built from the first scan (its shape is fixed per sensor). */
  dirs: Float64Array | null;
  points: THREE.Points | null;
  rays: THREE.LineSegments | null;
  /** A radar's reading re-read as a one-beam scan (its azimuth changes per reading); null for scanning sensors. */
  radar: { angles: Float64Array; ranges: Float64Array } | null;
  /** A scan was latched and not yet drawn. */
  fresh: boolean;
  drawnPoints: number;
  drawnRays: number;
}

const _c = new THREE.Color();
const NEAR = new THREE.Color('#ff4d3a');
const MID = new THREE.Color('#ffd23a');
const FAR = new THREE.Color('#3adfff');

export class PerceptionView {
  readonly group = new THREE.Group();
  private entries: SensorEntry[] = [];
  private world: World | null = null;
  private sub: Subscription | null = null;
  private on = false;

  constructor() {
    this.group.name = 'perception';
    this.group.visible = false;
  }

  /** Watch every range sensor of the world's actors (snapshot indices from `indexOf`). */
  attach(world: World, indexOf: ReadonlyMap<string, number>): void {
    this.clear();
    this.world = world;
    const snap = world.snapshot;
    for (const actor of world.actors()) {
      const index = indexOf.get(actor.id);
      if (index === undefined || actor.descriptor.isStatic) continue;
      for (const sensor of world.sensorsOf(actor.id)) {
        if (!DRAWN_TYPES.has(sensor.type)) continue;
        const latch = new ScanPoseLatch();
        const s = snap.actors[index]!;
        latch.seed(snap.time, s.position, s.rotation);
        this.entries.push({ actorId: actor.id, index, sensor, latch, dirs: null, points: null, rays: null, fresh: false, drawnPoints: 0, drawnRays: 0,
          radar: sensor.type === 'radar' ? { angles: new Float64Array(1), ranges: new Float64Array(1) } : null });
      }
    }
    this.sub = world.tick$.subscribe((snap) => this.tick(snap));
  }

  /** Range sensors watched. */
  get sensorCount(): number {
    return this.entries.length;
  }

  /** Points and rays drawn in the latest update. */
  get drawn(): { points: number; rays: number; sensors: number } {
    let points = 0, rays = 0, sensors = 0;
    for (const e of this.entries) {
      points += e.drawnPoints;
      rays += e.drawnRays;
      if (e.drawnPoints > 0) sensors++;
    }
    return { points, rays, sensors };
  }

  set visible(on: boolean) {
    this.on = on;
    this.group.visible = on;
    // Poses are latched only while shown; turned on, the next scan of each sensor draws.
    if (!on) for (const e of this.entries) e.fresh = false;
  }

  get visible(): boolean {
    return this.on;
  }

  /** Rewrite the buffers of every sensor with a new scan; true if anything changed. */
  update(): boolean {
    if (!this.on) return false;
    let changed = false;
    for (const e of this.entries) {
      if (!e.fresh) continue;
      e.fresh = false;
      const value = e.latch.value;
      let scan: ScanLike;
      if (e.radar) {
        if (!isRadarReturn(value)) continue;
        scan = radarAsScan(value, e.radar);
        // One beam along the measured azimuth: its direction changes with every reading.
        if (e.dirs) beamDirections(scan, e.sensor.mount.rotation, e.dirs);
      } else {
        if (!isScan(value)) continue;
        scan = value;
      }
      if (!e.dirs) this.build(e, scan.ranges.length, beamDirections(scan, e.sensor.mount.rotation));
      const pAttr = e.points!.geometry.getAttribute('position') as THREE.BufferAttribute;
      const cAttr = e.points!.geometry.getAttribute('color') as THREE.BufferAttribute;
      const rAttr = e.rays!.geometry.getAttribute('position') as THREE.BufferAttribute;
      const n = hitPoints(scan.ranges, e.dirs!, e.sensor.mount, e.latch.pose, {
        points: pAttr.array as Float32Array,
        rays: rAttr.array as Float32Array,
        rayEvery: rayStride(scan.ranges.length, MAX_RAYS_PER_SENSOR),
      });
      this.colour(pAttr.array as Float32Array, cAttr.array as Float32Array, n.points, e.latch.pose.position);
      e.points!.geometry.setDrawRange(0, n.points);
      e.rays!.geometry.setDrawRange(0, 2 * n.rays);
      pAttr.needsUpdate = cAttr.needsUpdate = rAttr.needsUpdate = true;
      e.drawnPoints = n.points;
      e.drawnRays = n.rays;
      changed = true;
    }
    return changed;
  }

  clear(): void {
    this.sub?.unsubscribe();
    this.sub = null;
    for (const e of this.entries) {
      for (const o of [e.points, e.rays]) {
        if (!o) continue;
        o.geometry.dispose();
        (o.material as THREE.Material).dispose();
      }
    }
    this.group.clear();
    this.entries = [];
    this.world = null;
  }

  private tick(snap: TickSnapshot): void {
    if (!this.on || !this.world) return;
    for (const e of this.entries) {
      const s = snap.actors[e.index];
      if (!s) continue;
      const r = s.present ? this.world.readingOf(e.actorId, e.sensor.name) : undefined;
      // A failed sensor's reading is unhealthy: draw nothing new from it.
      const t = r && r.healthy ? r.time : NaN;
      if (e.latch.tick(t, r?.value, snap.time, s.position, s.rotation)) e.fresh = true;
    }
  }

  /** Buffers sized for the sensor's scan, made once. */
  private build(e: SensorEntry, beams: number, dirs: Float64Array): void {
    e.dirs = dirs;
    const pg = new THREE.BufferGeometry();
    pg.setAttribute('position', new THREE.BufferAttribute(new Float32Array(3 * beams), 3).setUsage(THREE.DynamicDrawUsage));
    pg.setAttribute('color', new THREE.BufferAttribute(new Float32Array(3 * beams), 3).setUsage(THREE.DynamicDrawUsage));
    pg.setDrawRange(0, 0);
    e.points = new THREE.Points(pg, new THREE.PointsMaterial({ size: e.radar ? RADAR_POINT_PX : POINT_PX, sizeAttenuation: false, vertexColors: true, transparent: true, opacity: 0.95, depthWrite: false }));
    e.points.name = `lidar-points:${e.actorId}/${e.sensor.name}`;
    e.points.frustumCulled = false;
    const rays = Math.min(beams, MAX_RAYS_PER_SENSOR);
    const rg = new THREE.BufferGeometry();
    rg.setAttribute('position', new THREE.BufferAttribute(new Float32Array(6 * rays), 3).setUsage(THREE.DynamicDrawUsage));
    rg.setDrawRange(0, 0);
    e.rays = new THREE.LineSegments(rg, new THREE.LineBasicMaterial({ color: RAY_COLOR, transparent: true, opacity: e.radar ? 0.7 : 0.22, depthWrite: false }));
    e.rays.name = `lidar-rays:${e.actorId}/${e.sensor.name}`;
    e.rays.frustumCulled = false;
    this.group.add(e.rays, e.points);
  }

  /** Colour each point by its distance from the sensor's actor (near red, then yellow, far cyan). */
  private colour(pts: Float32Array, cols: Float32Array, n: number, origin: readonly number[]): void {
    for (let i = 0; i < n; i++) {
      const dx = pts[3 * i]! - origin[0]!, dy = pts[3 * i + 1]! - origin[1]!, dz = pts[3 * i + 2]! - origin[2]!;
      const f = Math.min(1, Math.sqrt(dx * dx + dy * dy + dz * dz) / COLOR_SPAN_M);
      if (f < 0.35) _c.copy(NEAR).lerp(MID, f / 0.35);
      else _c.copy(MID).lerp(FAR, (f - 0.35) / 0.65);
      cols[3 * i] = _c.r;
      cols[3 * i + 1] = _c.g;
      cols[3 * i + 2] = _c.b;
    }
  }
}
