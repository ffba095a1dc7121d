/**
 * The V2X overlay: one line between sender and receiver for every message
 * delivered in the latest tick. It draws what the run reports as delivered,
 * so it shows the radio channel's outcome (after loss, latency and range),
 * never a link guessed from distances. Lines are written into one
 * preallocated buffer each frame: no allocation, whatever the traffic.
 */
import * as THREE from 'three';

/** [senderId, receiverId] pairs delivered in the latest tick. */
export type V2xLinks = ReadonlyArray<readonly [string, string]>;

/** Links drawn at most per frame; beyond that the rest are dropped from the drawing (and counted). */
const MAX_LINKS = 4096;
/** Height of the line ends above the actors' origins, m (about the roof of a car, where the antenna is). */
export const V2X_ANTENNA_Z_M = 1.6;
const LINK_COLOR = '#38d9f5';

export class V2xOverlay {
  readonly lines: THREE.LineSegments;
  private readonly positions = new Float32Array(MAX_LINKS * 6);
  private readonly attr: THREE.BufferAttribute;
  /** Links of the last `update` that were drawn, and that could not be (unknown or absent actor, or over MAX_LINKS). */
  drawn = 0;
  skipped = 0;

  constructor() {
    const g = new THREE.BufferGeometry();
    this.attr = new THREE.BufferAttribute(this.positions, 3).setUsage(THREE.DynamicDrawUsage);
    g.setAttribute('position', this.attr);
    g.setDrawRange(0, 0);
    this.lines = new THREE.LineSegments(g, new THREE.LineBasicMaterial({ color: LINK_COLOR, transparent: true, opacity: 0.9, depthTest: false }));
    this.lines.name = 'v2x-links';
    // Drawn over the cars so a link is never hidden behind a roof.
    this.lines.renderOrder = 10;
    this.lines.frustumCulled = false;
    this.lines.visible = false;
  }

  /**
   * Rewrite the lines for `links`. `positionOf` writes an actor's position
   * into `out` and returns false when it has none to draw (unknown id, or
   * removed from the world).
   */
  update(links: V2xLinks, positionOf: (id: string, out: THREE.Vector3) => boolean, a: THREE.Vector3, b: THREE.Vector3): void {
    let n = 0;
    let skipped = 0;
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      if (n >= MAX_LINKS || !positionOf(link[0], a) || !positionOf(link[1], b)) {
        skipped++;
        continue;
      }
      const k = n * 6;
      this.positions[k] = a.x;
      this.positions[k + 1] = a.y;
      this.positions[k + 2] = a.z + V2X_ANTENNA_Z_M;
      this.positions[k + 3] = b.x;
      this.positions[k + 4] = b.y;
      this.positions[k + 5] = b.z + V2X_ANTENNA_Z_M;
      n++;
    }
    this.drawn = n;
    this.skipped = skipped;
    this.lines.geometry.setDrawRange(0, 2 * n);
    if (n > 0) this.attr.needsUpdate = true;
  }

  set visible(on: boolean) {
    this.lines.visible = on;
  }

  get visible(): boolean {
    return this.lines.visible;
  }

  dispose(): void {
    this.lines.geometry.dispose();
    (this.lines.material as THREE.Material).dispose();
  }
}
