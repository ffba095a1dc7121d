/**
 * The airspace view on a real run (scenarios/library/airspace/temporary-zone.yaml,
 * flown by uav-pilot): the zone is drawn before it applies, faint with a
 * dashed outline; the timeline switches it on at 8 s and the view follows;
 * the drone's planned path is its mission first, then the route round the
 * zone that the agent planned when it switched on. Zones, activity and plans
 * reach the views as the sim worker sends them (web/capture.ts), through
 * structuredClone like a postMessage.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../scenarios/loader.ts';
import { startRun, type Run } from '../../scenarios/runner.ts';
import { AirspaceView } from '../../web/airspace-view.ts';
import { Capture } from '../../web/capture.ts';
import type { ViewFrame } from '../../web/sim-protocol.ts';
import { PlannedPathView } from '../../web/planned-path.ts';

const FILE = 'scenarios/library/airspace/temporary-zone.yaml';

describe('AirspaceView and PlannedPathView on a zone switched on mid-flight', () => {
  let run: Run;
  let capture: Capture;
  const frame = (): ViewFrame => structuredClone(capture.frame());
  const zones = new AirspaceView();
  const paths = new PlannedPathView();

  beforeAll(async () => {
    const text = readFileSync(fileURLToPath(new URL(`../../${FILE}`, import.meta.url)), 'utf8');
    run = await startRun(loadScenarioText(text, FILE), { backend: 'rapier' });
    capture = new Capture(run, 'airspace-temporary-zone');
    zones.attach(structuredClone(capture.init).airspace);
    paths.apply(frame().plans ?? {});
  }, 60_000);

  afterAll(() => {
    zones.clear();
    paths.clear();
    capture?.dispose();
    run?.dispose();
  });

  const lines = (dashed: boolean) => zones.group.children.filter((o): o is THREE.LineSegments => o instanceof THREE.LineSegments && (o.material instanceof THREE.LineDashedMaterial) === dashed);
  const fill = () => zones.group.children.find((o): o is THREE.Mesh => o instanceof THREE.Mesh)!;

  it('draws the inactive zone faint, with only its dashed outline', () => {
    expect(zones.counts).toEqual({ zones: 1, volumes: 1, active: 0, capped: 0 });
    expect(zones.isDrawnActive(0)).toBe(false);
    expect(lines(true).every((l) => l.visible)).toBe(true);
    expect(lines(false).every((l) => !l.visible)).toBe(true);
    const box = new THREE.Box3().setFromObject(fill());
    expect(box.min.x).toBeCloseTo(110, 6);
    expect(box.max.x).toBeCloseTo(190, 6);
    expect(box.max.z).toBeCloseTo(120, 6);
    expect(paths.count).toBe(1);
  });

  it('turns it active when the timeline switches it on, and shows the route round it', () => {
    const before = (fill().material as THREE.MeshBasicMaterial).opacity;
    const pathBefore = paths.group.children[0] as THREE.Line;
    // The zone switches on at 8 s, while the drone still climbs; its first leg (and route) starts near 15 s.
    run.step(Math.round(9 / run.world.dt));
    expect(zones.update(frame().airspace!.active)).toBe(true);
    run.step(Math.round(11 / run.world.dt));
    const f = frame();
    expect(zones.update(f.airspace!.active)).toBe(false);
    expect(zones.counts.active).toBe(1);
    expect((fill().material as THREE.MeshBasicMaterial).opacity).toBeGreaterThan(before * 3);
    expect(lines(false).every((l) => l.visible)).toBe(true);
    expect(lines(true).every((l) => !l.visible)).toBe(true);
    expect(paths.apply(f.plans ?? {})).toBe(true);
    const line = paths.group.children[0] as THREE.Line;
    expect(line).not.toBe(pathBefore);
    // The route round the zone leaves the straight line y = 0.
    const pos = line.geometry.getAttribute('position');
    let maxAbsY = 0;
    for (let i = 0; i < pos.count; i++) maxAbsY = Math.max(maxAbsY, Math.abs(pos.getY(i)));
    expect(maxAbsY).toBeGreaterThan(40);
  }, 60_000);
});
