/**
 * TTC and clearance markers in the 3D view (issue #7 section 2): a line from
 * the ego to the actor that sets its time-to-collision now, and one from the
 * agent-driven actor with the smallest clearance to the body nearest to it,
 * each with a small label ("TTC 2.1 s", "1.8 m") coloured against the
 * criterion's threshold (web/markers-data.ts). What it draws is the live
 * metrics' ground truth (scenarios/metrics/live.ts, via ViewFrame.markers):
 * the scorers' quantities, never an agent's belief.
 *
 * Lines are two segments in one preallocated buffer, drawn over everything;
 * their ends follow the actors' interpolated poses every frame.
 */
import * as THREE from 'three';
import type { MarkerFrame, ViewInit } from './sim-protocol.ts';
type Kind = 'ttc' | 'clearance';

import { clearanceLabel, MARKER_COLORS, markerLevel, markerThresholds, ttcLabel, type MarkerLevel, type MarkerThresholds } from './markers-data.ts';

/**
 * Height of the line ends above the actors' origins, m, TTC above clearance
 * so that both stay apart when one actor sets both (display convention:
 * between a car's bonnet and its roof).
 */
const MARKER_Z_M: Record<Kind, number> = { ttc: 1.2, clearance: 0.6 };
/** Labels sit above (TTC) or below (clearance) their line's midpoint, so that two labels on one pair do not cover each other. */
const LABEL_SHIFT: Record<Kind, string> = { ttc: 'translate(-50%, -115%)', clearance: 'translate(-50%, 15%)' };


interface Marker {
  kind: Kind;
  el: HTMLElement;
  data: { actorId: string; otherId: string; value: number } | null;
  level: MarkerLevel | null;
  text: string;
  /** Label anchor (the line's midpoint), world m, and whether it is drawn this frame. */
  at: THREE.Vector3;
  drawn: boolean;
  x: number;
  y: number;
}

export class MarkersView {
  readonly lines: THREE.LineSegments;
  private readonly positions = new Float32Array(12);
  private readonly colors = new Float32Array(12);
  private readonly attr: THREE.BufferAttribute;
  private readonly colorAttr: THREE.BufferAttribute;
  private readonly markers: Marker[];
  private thresholds: MarkerThresholds | null = null;
  private readonly tmpA = new THREE.Vector3();
  private readonly tmpB = new THREE.Vector3();
  private readonly tmpC = new THREE.Color();

  constructor() {
    const g = new THREE.BufferGeometry();
    this.attr = new THREE.BufferAttribute(this.positions, 3).setUsage(THREE.DynamicDrawUsage);
    this.colorAttr = new THREE.BufferAttribute(this.colors, 3).setUsage(THREE.DynamicDrawUsage);
    g.setAttribute('position', this.attr);
    g.setAttribute('color', this.colorAttr);
    g.setDrawRange(0, 0);
    this.lines = new THREE.LineSegments(g, new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.95, depthTest: false }));
    this.lines.name = 'ttc-clearance-markers';
    this.lines.renderOrder = 11;
    this.lines.frustumCulled = false;
    const marker = (kind: Kind): Marker => {
      const el = document.createElement('div');
      el.className = `scene-label marker-label marker-${kind}`;
      el.dataset.testid = `marker-${kind}`;
      el.hidden = true;
      return { kind, el, data: null, level: null, text: '', at: new THREE.Vector3(), drawn: false, x: NaN, y: NaN };
    };
    this.markers = [marker('ttc'), marker('clearance')];
  }

  /** A new run: its thresholds; the labels go into `layer` (the scene's HTML labels, cleared with it). */
  attach(init: ViewInit, layer: HTMLElement): void {
    this.thresholds = markerThresholds(init);
    for (const m of this.markers) {
      m.data = null;
      m.level = null;
      m.text = '';
      m.drawn = false;
      m.x = m.y = NaN;
      m.el.hidden = true;
      m.el.textContent = '';
      layer.append(m.el);
    }
    this.lines.geometry.setDrawRange(0, 0);
  }

  /** A frame's markers (who sets the TTC and the clearance now). */
  take(f: MarkerFrame): void {
    const t = this.thresholds;
    if (!t) return;
    const [ttc, clr] = this.markers as [Marker, Marker];
    this.set(ttc, f.ttc ? { actorId: f.ttc.actorId, otherId: f.ttc.otherId, value: f.ttc.valueS } : null, t.ttcS.value, ttcLabel, t.ttcS.source);
    this.set(clr, f.clearance ? { actorId: f.clearance.actorId, otherId: f.clearance.otherId, value: f.clearance.valueM } : null, t.clearanceM.value, clearanceLabel, t.clearanceM.source);
  }

  private set(m: Marker, data: Marker['data'], threshold: number, label: (v: number) => string, source: string): void {
    m.data = data;
    if (!data) return;
    const level = markerLevel(data.value, threshold);
    const text = label(data.value);
    if (text !== m.text) {
      m.text = text;
      m.el.textContent = text;
    }
    if (level !== m.level) {
      m.level = level;
      m.el.dataset.level = level;
      m.el.style.borderColor = MARKER_COLORS[level];
      m.el.style.color = MARKER_COLORS[level];
      m.el.title = `${m.kind === 'ttc' ? 'time to collision' : 'clearance'} ${data.actorId} → ${data.otherId}; threshold ${threshold} ${m.kind === 'ttc' ? 's' : 'm'} (${source})`;
    }
    m.el.dataset.actor = data.actorId;
    m.el.dataset.other = data.otherId;
  }

  /** Move the lines to the actors' current (interpolated) positions; `positionOf` is false for an actor not drawn. */
  update(positionOf: (id: string, out: THREE.Vector3) => boolean): void {
    let n = 0;
    for (const m of this.markers) {
      m.drawn = false;
      if (!m.data || !m.level || !positionOf(m.data.actorId, this.tmpA) || !positionOf(m.data.otherId, this.tmpB)) continue;
      this.tmpA.z += MARKER_Z_M[m.kind];
      this.tmpB.z += MARKER_Z_M[m.kind];
      const k = 6 * n;
      this.tmpA.toArray(this.positions, k);
      this.tmpB.toArray(this.positions, k + 3);
      this.tmpC.set(MARKER_COLORS[m.level]);
      this.tmpC.toArray(this.colors, k);
      this.tmpC.toArray(this.colors, k + 3);
      m.at.copy(this.tmpA).add(this.tmpB).multiplyScalar(0.5);
      m.drawn = true;
      n++;
    }
    this.lines.geometry.setDrawRange(0, 2 * n);
    this.attr.needsUpdate = true;
    this.colorAttr.needsUpdate = true;
  }

  /** Place the labels at the lines' midpoints on screen (`w` x `h` CSS px). */
  placeLabels(camera: THREE.Camera, w: number, h: number): void {
    const on = this.lines.visible;
    for (const m of this.markers) {
      const p = this.tmpA.copy(m.at).project(camera);
      const show = on && m.drawn && p.z < 1 && Math.abs(p.x) <= 1 && Math.abs(p.y) <= 1;
      if (m.el.hidden === show) m.el.hidden = !show;
      if (!show) continue;
      const x = Math.round(((p.x + 1) / 2) * w), y = Math.round(((1 - p.y) / 2) * h);
      if (x === m.x && y === m.y) continue;
      m.x = x;
      m.y = y;
      m.el.style.transform = `translate(${x}px, ${y}px) ${LABEL_SHIFT[m.kind]}`;
    }
  }

  set visible(on: boolean) {
    this.lines.visible = on;
    if (!on) for (const m of this.markers) m.el.hidden = true;
  }

  get visible(): boolean {
    return this.lines.visible;
  }

  /** What is shown now, for the page's tests and readouts. */
  get state(): { ttc: string | null; clearance: string | null } {
    const [ttc, clr] = this.markers as [Marker, Marker];
    return { ttc: ttc.drawn ? ttc.text : null, clearance: clr.drawn ? clr.text : null };
  }
}
