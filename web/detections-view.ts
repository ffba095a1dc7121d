/**
 * Detected objects: what each agent's object-list sensor reported at its
 * last readings, i.e. what the agent believes is around it. Each detection
 * is a wireframe box (its reported centre, size and heading, with a tick
 * from the centre to the front face) coloured by its reported class, and a
 * label such as "car #3" (class and the sensor's own track id).
 *
 * The data is the reading the agent received (noisy positions and sizes,
 * missed detections included), moved to the world by the sim worker with the
 * actor's pose when the reading was taken (web/capture.ts
 * `detectionsToWorld`). Nothing here reads ground truth.
 *
 * A reading is drawn when the view's (interpolated) sim time reaches its
 * stamp, so a box sits on its actor rather than ahead of it. A track stays
 * drawn after the reading that last reported it and fades as
 * that reading gets old, so a missed detection or a failed sensor shows as a
 * box fading out rather than a blink. Shown with the Rays overlay.
 */
import * as THREE from 'three';
import type { DetectionFrame, DetectionListFrame, SensorInit } from './sim-protocol.ts';

/**
 * A track is drawn at full strength this long after the reading that last
 * reported it, s (display convention: 2.5 periods of the 10 Hz object list,
 * sim/sensors/object-list.ts, so one missed sample does not flicker).
 */
export const DETECTION_HOLD_S = 0.25;
/** Then it fades out over this, s, and is dropped (display convention). */
export const DETECTION_FADE_S = 1.5;
/** Box colour by reported class (`detectionClass`; display convention); other classes are white. */
export const DETECTION_COLORS: Readonly<Record<string, string>> = {
  car: '#ffb020',
  pedestrian: '#ff4fd8',
  obstacle: '#c9d1d9',
  rover: '#7dff7a',
  uav: '#4fd1ff',
};
const OTHER_COLOR = '#ffffff';
/** Box edges (12) and the heading tick (1), as vertex pairs. */
const VERTS_PER_BOX = 26;

/** Opacity of a detection reported `ageS` ago (1 held, then a linear fade to 0). */
export function detectionAlpha(ageS: number): number {
  const a = ageS < 0 ? 0 : ageS;
  if (a <= DETECTION_HOLD_S) return 1;
  return Math.max(0, 1 - (a - DETECTION_HOLD_S) / DETECTION_FADE_S);
}

/** The class drawn for a reported kind: its first word ('car-kinematic' and 'car' are both a car). */
export function detectionClass(kind: string): string {
  const dash = kind.indexOf('-');
  return dash > 0 ? kind.slice(0, dash) : kind;
}

/** The label text of a detection: its class and track id, e.g. "car #3". */
export function detectionLabel(d: Pick<DetectionFrame, 'kind' | 'trackId'>): string {
  return `${detectionClass(d.kind)} #${d.trackId}`;
}

interface Track {
  det: DetectionFrame;
  /** Stamp of the reading that last reported it, s. */
  time: number;
  alpha: number;
  el: HTMLElement | null;
  text: string;
  x: number;
  y: number;
}

/** Unit box corners, in units of the half extents (bottom face, then top face). */
const CORNERS: readonly (readonly [number, number, number])[] = [
  [1, 1, -1], [1, -1, -1], [-1, -1, -1], [-1, 1, -1],
  [1, 1, 1], [1, -1, 1], [-1, -1, 1], [-1, 1, 1],
];
const EDGES: readonly (readonly [number, number])[] = [
  [0, 1], [1, 2], [2, 3], [3, 0],
  [4, 5], [5, 6], [6, 7], [7, 4],
  [0, 4], [1, 5], [2, 6], [3, 7],
];

const _c = new THREE.Color();
const _v = new THREE.Vector3();
const _corner: [number, number, number][] = CORNERS.map(() => [0, 0, 0]);

export class DetectionsView {
  readonly group = new THREE.Group();
  private readonly lines: THREE.LineSegments;
  private positions = new Float32Array(3 * VERTS_PER_BOX * 8);
  private colors = new Float32Array(4 * VERTS_PER_BOX * 8);
  /** Tracks per sensor ("actor/sensor"), by track id. */
  private sensors = new Map<string, Map<number, Track>>();
  /** Readings received but not yet due: the view draws poses about one frame behind the latest, so a reading waits for its stamp. */
  private pending: DetectionListFrame[] = [];
  private layer: HTMLElement | null = null;
  private on = false;
  private boxes = 0;
  private lastTime = NaN;

  constructor() {
    this.group.name = 'detections';
    this.group.visible = false;
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(this.positions, 3).setUsage(THREE.DynamicDrawUsage));
    // RGBA: each box fades on its own (three reads a 4-component colour as vertex alpha).
    g.setAttribute('color', new THREE.BufferAttribute(this.colors, 4).setUsage(THREE.DynamicDrawUsage));
    g.setDrawRange(0, 0);
    this.lines = new THREE.LineSegments(g, new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, depthWrite: false }));
    this.lines.name = 'detected-objects';
    this.lines.frustumCulled = false;
    this.lines.renderOrder = 10;
    this.group.add(this.lines);
  }

  /** Watch a run's object-list sensors; labels go into `layer` (the scene's HTML labels) when given. */
  attach(detectors: readonly SensorInit[], layer?: HTMLElement): void {
    this.clear();
    this.layer = layer ?? null;
    for (const s of detectors) this.sensors.set(`${s.actorId}/${s.name}`, new Map());
  }

  /** Object-list sensors watched. */
  get sensorCount(): number {
    return this.sensors.size;
  }

  /** Boxes drawn now (tracks not yet faded out). */
  get drawn(): number {
    return this.boxes;
  }

  /** What is drawn now, for tests and readouts: per box its label, world centre and opacity. */
  get shown(): { label: string; position: [number, number, number]; alpha: number }[] {
    const out: { label: string; position: [number, number, number]; alpha: number }[] = [];
    for (const tracks of this.sensors.values()) {
      for (const t of tracks.values()) if (t.alpha > 0) out.push({ label: detectionLabel(t.det), position: [...t.det.position], alpha: t.alpha });
    }
    return out;
  }

  set visible(on: boolean) {
    this.on = on;
    this.group.visible = on;
    if (!on) for (const tracks of this.sensors.values()) for (const t of tracks.values()) if (t.el) t.el.hidden = true;
  }

  get visible(): boolean {
    return this.on;
  }

  /**
   * Take a frame's new readings; true if any is for a watched sensor. They
   * are drawn by `update` once the drawn sim time reaches their stamp (the
   * actors are drawn interpolated, behind the latest frame: a box drawn
   * earlier would lead its actor).
   */
  apply(lists: readonly DetectionListFrame[]): boolean {
    if (!this.on) return false;
    let changed = false;
    for (const l of lists) {
      if (!this.sensors.has(`${l.actorId}/${l.sensor}`)) continue;
      this.pending.push(l);
      changed = true;
    }
    if (changed && Number.isFinite(this.lastTime)) this.update(this.lastTime, true);
    return changed;
  }

  /** Move the readings due at `timeS` into the tracks; true if any was. */
  private take(timeS: number): boolean {
    let taken = false;
    let keep = 0;
    for (const l of this.pending) {
      if (l.time > timeS) {
        this.pending[keep++] = l;
        continue;
      }
      taken = true;
      const tracks = this.sensors.get(`${l.actorId}/${l.sensor}`)!;
      for (const det of l.detections) {
        const t = tracks.get(det.trackId);
        if (t) {
          t.det = det;
          t.time = l.time;
        } else {
          tracks.set(det.trackId, { det, time: l.time, alpha: 1, el: null, text: '', x: NaN, y: NaN });
        }
      }
    }
    this.pending.length = keep;
    return taken;
  }

  /**
   * Rebuild the boxes for sim time `timeS` (the drawn, interpolated time):
   * fade each track by the age of the reading that last reported it, drop
   * the faded ones. True if anything changed.
   */
  update(timeS: number, force = false): boolean {
    const taken = this.pending.length > 0 && this.take(timeS);
    if (!force && !taken && timeS === this.lastTime) return false;
    this.lastTime = timeS;
    let n = 0;
    for (const tracks of this.sensors.values()) {
      for (const [id, t] of tracks) {
        // A seek back before the reading (a replay) or a faded track: gone.
        const alpha = t.time - timeS > DETECTION_HOLD_S + DETECTION_FADE_S ? 0 : detectionAlpha(timeS - t.time);
        t.alpha = alpha;
        if (alpha <= 0) {
          t.el?.remove();
          tracks.delete(id);
          continue;
        }
        this.ensure(n + 1);
        this.writeBox(t.det, alpha, n);
        n++;
      }
    }
    this.boxes = n;
    const g = this.lines.geometry;
    g.setDrawRange(0, VERTS_PER_BOX * n);
    g.getAttribute('position').needsUpdate = true;
    g.getAttribute('color').needsUpdate = true;
    return true;
  }

  /** Place the labels above the boxes on screen (`w` x `h` CSS px). */
  placeLabels(camera: THREE.Camera, w: number, h: number): void {
    if (!this.layer) return;
    for (const tracks of this.sensors.values()) {
      for (const t of tracks.values()) {
        const d = t.det;
        const p = _v.set(d.position[0], d.position[1], d.position[2] + d.size[2] / 2 + 0.2).project(camera);
        const show = this.on && t.alpha > 0 && p.z < 1 && Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1;
        if (!show) {
          if (t.el) t.el.hidden = true;
          continue;
        }
        if (!t.el) {
          t.el = document.createElement('div');
          t.el.className = 'scene-label';
          t.el.dataset.testid = 'detection-label';
          t.el.style.fontSize = '10px';
          this.layer.append(t.el);
        }
        const text = detectionLabel(d);
        if (text !== t.text) {
          t.text = text;
          t.el.textContent = text;
          const col = DETECTION_COLORS[detectionClass(d.kind)] ?? OTHER_COLOR;
          t.el.title = `${d.kind}, track ${d.trackId} of the object list (what the agent perceives)`;
          t.el.style.borderColor = col;
          t.el.style.color = col;
        }
        t.el.hidden = false;
        t.el.style.opacity = t.alpha.toFixed(2);
        const x = Math.round(((p.x + 1) / 2) * w), y = Math.round(((1 - p.y) / 2) * h);
        if (x === t.x && y === t.y) continue;
        t.x = x;
        t.y = y;
        t.el.style.transform = `translate(${x}px, ${y}px) translate(-50%, -100%)`;
      }
    }
  }

  clear(): void {
    for (const tracks of this.sensors.values()) for (const t of tracks.values()) t.el?.remove();
    this.sensors = new Map();
    this.pending = [];
    this.boxes = 0;
    this.lastTime = NaN;
    this.lines.geometry.setDrawRange(0, 0);
  }

  dispose(): void {
    this.clear();
    this.lines.geometry.dispose();
    (this.lines.material as THREE.Material).dispose();
  }

  /** Buffers for at least `boxes` boxes (doubling). */
  private ensure(boxes: number): void {
    const cap = this.positions.length / (3 * VERTS_PER_BOX);
    if (cap >= boxes) return;
    let next = cap;
    while (next < boxes) next *= 2;
    const pos = new Float32Array(3 * VERTS_PER_BOX * next);
    const col = new Float32Array(4 * VERTS_PER_BOX * next);
    pos.set(this.positions);
    col.set(this.colors);
    this.positions = pos;
    this.colors = col;
    const g = this.lines.geometry;
    g.setAttribute('position', new THREE.BufferAttribute(pos, 3).setUsage(THREE.DynamicDrawUsage));
    g.setAttribute('color', new THREE.BufferAttribute(col, 4).setUsage(THREE.DynamicDrawUsage));
  }

  private writeBox(d: DetectionFrame, alpha: number, box: number): void {
    const c = Math.cos(d.yawRad), s = Math.sin(d.yawRad);
    const hx = d.size[0] / 2, hy = d.size[1] / 2, hz = d.size[2] / 2;
    const [px, py, pz] = d.position;
    for (let k = 0; k < CORNERS.length; k++) {
      const [fx, fy, fz] = CORNERS[k]!;
      const lx = fx * hx, ly = fy * hy;
      const out = _corner[k]!;
      out[0] = px + c * lx - s * ly;
      out[1] = py + s * lx + c * ly;
      out[2] = pz + fz * hz;
    }
    const pos = this.positions, col = this.colors;
    let v = box * VERTS_PER_BOX;
    const put = (x: number, y: number, z: number) => {
      pos[3 * v] = x;
      pos[3 * v + 1] = y;
      pos[3 * v + 2] = z;
      col[4 * v] = _c.r;
      col[4 * v + 1] = _c.g;
      col[4 * v + 2] = _c.b;
      col[4 * v + 3] = alpha;
      v++;
    };
    _c.set(DETECTION_COLORS[detectionClass(d.kind)] ?? OTHER_COLOR);
    for (const [a, b] of EDGES) {
      const A = _corner[a]!, B = _corner[b]!;
      put(A[0], A[1], A[2]);
      put(B[0], B[1], B[2]);
    }
    // Heading: from the top face's centre to its front edge.
    put(px, py, pz + hz);
    put(px + c * hx, py + s * hx, pz + hz);
  }
}
