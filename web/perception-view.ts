/**
 * Perception rays: what each range sensor (a UAV's 360-degree `lidar-3d`, a
 * rover's `range-ring`, a car's `radar`) returned at its last scan, drawn as
 * points where its beams came back, plus a subsampled set of rays from the
 * sensor to them (the radar: its one nearest return, and its ray).
 *
 * The data is the sensor's reading, exactly what the agent received
 * (`World.readingOf`): noisy ranges, no point where a beam had no return,
 * nothing for a failed sensor. Only the placement uses ground truth: the
 * actor's pose when the scan was taken (`ScanPoseLatch`), because that is
 * where the sensor cast from. The sim worker turns each new scan into world
 * points (web/capture.ts); this view colours and uploads them.
 *
 * Buffers grow to the largest scan of each sensor and are rewritten in place
 * when a new scan arrives (at the sensor's rate, not per frame).
 */
import * as THREE from 'three';
import type { ScanFrame, SensorInit } from './sim-protocol.ts';

export { MAX_RAYS_PER_SENSOR } from './capture.ts';

/** Point size on screen, px (display convention); a radar's single return is drawn larger. */
const POINT_PX = 3;
const RADAR_POINT_PX = 9;
/**
 * Points are coloured by measured range, near red to far cyan, over this
 * span, m (display convention: 0-20 m covers what a drone at 4 m height
 * sees of pillars and of the ground through a +-15 deg lidar).
 */
const COLOR_SPAN_M = 20;
const RAY_COLOR = '#7fd4ff';

interface SensorEntry {
  actorId: string;
  sensor: SensorInit;
  radar: boolean;
  points: THREE.Points | null;
  rays: THREE.LineSegments | null;
  drawnPoints: number;
  drawnRays: number;
}

const _c = new THREE.Color();
const NEAR = new THREE.Color('#ff4d3a');
const MID = new THREE.Color('#ffd23a');
const FAR = new THREE.Color('#3adfff');

export class PerceptionView {
  readonly group = new THREE.Group();
  private entries = new Map<string, SensorEntry>();
  private on = false;

  constructor() {
    this.group.name = 'perception';
    this.group.visible = false;
  }

  /** Watch the run's range sensors. */
  attach(sensors: readonly SensorInit[]): void {
    this.clear();
    for (const sensor of sensors) {
      this.entries.set(`${sensor.actorId}/${sensor.name}`, { actorId: sensor.actorId, sensor, radar: sensor.type === 'radar', points: null, rays: null, drawnPoints: 0, drawnRays: 0 });
    }
  }

  /** Range sensors watched. */
  get sensorCount(): number {
    return this.entries.size;
  }

  /** Points and rays drawn in the latest update. */
  get drawn(): { points: number; rays: number; sensors: number } {
    let points = 0, rays = 0, sensors = 0;
    for (const e of this.entries.values()) {
      points += e.drawnPoints;
      rays += e.drawnRays;
      if (e.drawnPoints > 0) sensors++;
    }
    return { points, rays, sensors };
  }

  set visible(on: boolean) {
    this.on = on;
    this.group.visible = on;
  }

  get visible(): boolean {
    return this.on;
  }

  /** Draw a frame's new scans; true if anything changed. */
  apply(scans: readonly ScanFrame[]): boolean {
    if (!this.on) return false;
    let changed = false;
    for (const s of scans) {
      const e = this.entries.get(`${s.actorId}/${s.sensor}`);
      if (!e) continue;
      const np = s.points.length / 3, nr = s.rays.length / 6;
      this.ensure(e, np, nr);
      const pAttr = e.points!.geometry.getAttribute('position') as THREE.BufferAttribute;
      const cAttr = e.points!.geometry.getAttribute('color') as THREE.BufferAttribute;
      const rAttr = e.rays!.geometry.getAttribute('position') as THREE.BufferAttribute;
      (pAttr.array as Float32Array).set(s.points);
      (rAttr.array as Float32Array).set(s.rays);
      this.colour(pAttr.array as Float32Array, cAttr.array as Float32Array, np, s.origin);
      e.points!.geometry.setDrawRange(0, np);
      e.rays!.geometry.setDrawRange(0, 2 * nr);
      pAttr.needsUpdate = cAttr.needsUpdate = rAttr.needsUpdate = true;
      e.drawnPoints = np;
      e.drawnRays = nr;
      changed = true;
    }
    return changed;
  }

  clear(): void {
    for (const e of this.entries.values()) this.dispose(e);
    this.group.clear();
    this.entries = new Map();
  }

  private dispose(e: SensorEntry): void {
    for (const o of [e.points, e.rays]) {
      if (!o) continue;
      this.group.remove(o);
      o.geometry.dispose();
      (o.material as THREE.Material).dispose();
    }
    e.points = null;
    e.rays = null;
  }

  /** Buffers at least this large, made once per sensor (again only if a scan outgrows them). */
  private ensure(e: SensorEntry, points: number, rays: number): void {
    if (e.points && e.rays) {
      const cap = (e.points.geometry.getAttribute('position') as THREE.BufferAttribute).count;
      const rcap = (e.rays.geometry.getAttribute('position') as THREE.BufferAttribute).count / 2;
      if (cap >= points && rcap >= rays) return;
      this.dispose(e);
    }
    const beams = Math.max(1, points);
    const pg = new THREE.BufferGeometry();
    pg.setAttribute('position', new THREE.BufferAttribute(new Float32Array(3 * beams), 3).setUsage(THREE.DynamicDrawUsage));
    pg.setAttribute('color', new THREE.BufferAttribute(new Float32Array(3 * beams), 3).setUsage(THREE.DynamicDrawUsage));
    pg.setDrawRange(0, 0);
    e.points = new THREE.Points(pg, new THREE.PointsMaterial({ size: e.radar ? RADAR_POINT_PX : POINT_PX, sizeAttenuation: false, vertexColors: true, transparent: true, opacity: 0.95, depthWrite: false }));
    e.points.name = `lidar-points:${e.actorId}/${e.sensor.name}`;
    e.points.frustumCulled = false;
    const rg = new THREE.BufferGeometry();
    rg.setAttribute('position', new THREE.BufferAttribute(new Float32Array(6 * Math.max(1, rays)), 3).setUsage(THREE.DynamicDrawUsage));
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
