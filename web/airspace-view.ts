/**
 * The scenario's airspace zones in the 3D view (issue #6 section 8): each
 * volume a translucent solid coloured by its restriction class
 * (./zone-geometry.ts), its edges outlined. An active zone is drawn solid
 * with a full outline; an inactive one (outside its schedule, or switched
 * off by a timeline event) much fainter, with a dashed outline. Activation
 * comes with each frame (the worker reads the AirspaceService), so a zone
 * switching on mid-run changes as it happens.
 */
import * as THREE from 'three';
import type { ViewInit } from './sim-protocol.ts';
import { ZONE_COLORS, ZONE_DISPLAY_CAP_M, zoneBand, zoneVolumeGeometry } from './zone-geometry.ts';

const ACTIVE_FILL_OPACITY = 0.2;
const INACTIVE_FILL_OPACITY = 0.04;
const ACTIVE_EDGE_OPACITY = 0.9;
const INACTIVE_EDGE_OPACITY = 0.4;
/** Dashes of an inactive zone's outline, m. */
const DASH_M = 3;
/** Edges between faces turned by less than this are not outlined (a cylinder's side shows only its rims), deg. */
const EDGE_THRESHOLD_DEG = 20;

/** A zone's name tag sits over its footprint's centre, at most this far above its floor, m (display convention: near the flight levels, not at a 150 m ceiling). */
const LABEL_ABOVE_FLOOR_M = 30;

/** Where a zone's name tag goes, world m, and what it says. */
export interface ZoneLabel {
  text: string;
  restriction: string;
  at: THREE.Vector3;
  active: boolean;
}

interface ZoneLook {
  index: number;
  label: ZoneLabel;
  fills: THREE.Mesh[];
  solidEdges: THREE.LineSegments[];
  dashedEdges: THREE.LineSegments[];
  active: boolean | null;
}

export interface AirspaceCounts {
  /** Zones of the scenario. */
  zones: number;
  /** Volumes drawn (a zone may have several). */
  volumes: number;
  /** Zones active at the last update. */
  active: number;
  /** Volumes without a ceiling, drawn to ZONE_DISPLAY_CAP_M. */
  capped: number;
}

export class AirspaceView {
  readonly group = new THREE.Group();
  private service: ViewInit['airspace'] = null;
  private looks: ZoneLook[] = [];
  private readonly materials: THREE.Material[] = [];
  private activeCount = 0;
  private cappedCount = 0;

  constructor() {
    this.group.name = 'airspace';
  }

  /** The run's airspace (zones, origin), or null when the scenario has none. */
  get airspace(): ViewInit['airspace'] {
    return this.service;
  }

  get counts(): AirspaceCounts {
    return { zones: this.looks.length, volumes: this.looks.reduce((n, l) => n + l.fills.length, 0), active: this.activeCount, capped: this.cappedCount };
  }

  get visible(): boolean {
    return this.group.visible;
  }

  set visible(on: boolean) {
    this.group.visible = on;
  }

  /** Build the zones of a run's airspace (nothing when it has none) and show which are active. */
  attach(air: ViewInit['airspace']): void {
    this.clear();
    if (!air) return;
    this.service = air;
    air.zones.forEach((zone, index) => {
      const color = ZONE_COLORS[zone.restriction];
      // Pulled towards the camera in depth: a floor on the ground does not flicker against it.
      const fillParams = { color, transparent: true, depthWrite: false, side: THREE.DoubleSide, polygonOffset: true, polygonOffsetFactor: -1, polygonOffsetUnits: -4 };
      const fillOn = this.material(new THREE.MeshBasicMaterial({ ...fillParams, opacity: ACTIVE_FILL_OPACITY }));
      const fillOff = this.material(new THREE.MeshBasicMaterial({ ...fillParams, opacity: INACTIVE_FILL_OPACITY }));
      const solid = this.material(new THREE.LineBasicMaterial({ color, transparent: true, opacity: ACTIVE_EDGE_OPACITY }));
      const dashed = this.material(new THREE.LineDashedMaterial({ color, transparent: true, opacity: INACTIVE_EDGE_OPACITY, dashSize: DASH_M, gapSize: DASH_M }));
      const box = new THREE.Box3();
      const label: ZoneLabel = { text: `${zone.id} · ${zone.restriction}`, restriction: zone.restriction, at: new THREE.Vector3(), active: false };
      const look: ZoneLook = { index, label, fills: [], solidEdges: [], dashedEdges: [], active: null };
      for (const v of zone.volumes) {
        const band = zoneBand(v, air.originAmslM);
        if (band.capped) this.cappedCount++;
        const geom = zoneVolumeGeometry(v, band);
        geom.computeBoundingBox();
        box.union(geom.boundingBox!);
        const fill = new THREE.Mesh(geom, fillOn);
        fill.userData = { fillOn, fillOff, zone: zone.id };
        fill.renderOrder = 2; // after the opaque scene, so the translucent volume blends over it
        const edgesGeom = new THREE.EdgesGeometry(geom, EDGE_THRESHOLD_DEG);
        const solidEdges = new THREE.LineSegments(edgesGeom, solid);
        const dashedEdges = new THREE.LineSegments(edgesGeom.clone(), dashed);
        dashedEdges.computeLineDistances();
        look.fills.push(fill);
        look.solidEdges.push(solidEdges);
        look.dashedEdges.push(dashedEdges);
        this.group.add(fill, solidEdges, dashedEdges);
      }
      box.getCenter(label.at);
      label.at.z = Math.min(box.max.z, box.min.z + LABEL_ABOVE_FLOOR_M);
      this.looks.push(look);
    });
    this.update(air.active);
  }

  /** Show each zone as active or not (`active[i]`: zone i, ViewInit order); returns whether anything changed. */
  update(activeFlags: readonly boolean[]): boolean {
    if (!this.service) return false;
    let changed = false, active = 0;
    for (const l of this.looks) {
      const on = activeFlags[l.index] === true;
      if (on) active++;
      if (on === l.active) continue;
      l.active = on;
      l.label.active = on;
      changed = true;
      for (const f of l.fills) f.material = (on ? f.userData.fillOn : f.userData.fillOff) as THREE.Material;
      for (const e of l.solidEdges) e.visible = on;
      for (const e of l.dashedEdges) e.visible = !on;
    }
    this.activeCount = active;
    return changed;
  }

  /** The zones' name tags (one per zone), in zone order. */
  get labels(): readonly ZoneLabel[] {
    return this.looks.map((l) => l.label);
  }

  /** Whether zone `index` was drawn active at the last update. */
  isDrawnActive(index: number): boolean {
    return this.looks[index]?.active === true;
  }

  clear(): void {
    this.group.traverse((o) => {
      if (o instanceof THREE.Mesh || o instanceof THREE.LineSegments) o.geometry.dispose();
    });
    for (const m of this.materials) m.dispose();
    this.materials.length = 0;
    this.group.clear();
    this.looks = [];
    this.service = null;
    this.activeCount = 0;
    this.cappedCount = 0;
  }

  /** The height a ceiling-less zone is drawn to, m (for the legend). */
  get displayCapM(): number {
    return ZONE_DISPLAY_CAP_M;
  }

  private material<M extends THREE.Material>(m: M): M {
    this.materials.push(m);
    return m;
  }
}
