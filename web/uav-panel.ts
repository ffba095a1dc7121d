/**
 * The drone panel and the HUD wind chip, for a run with UAVs: the selected
 * drone's height, ground and vertical speed, the wind it feels (speed and
 * direction, with a vane in the HUD turned to the view), and its mission
 * phase when its agent reports one (`AutopilotAgent.progress`).
 *
 * Height, speeds and wind are ground truth (what the physics and the wind
 * field hold), not the agent's estimate; the panel says so. The wind is the
 * one the drone's drag acts on (`Multirotor.windMps`: steady wind, gusts and
 * Dryden turbulence, set each step by whoever owns the field; still air when
 * the scenario has none).
 */
import type { PoseSample } from './pose-buffer.ts';
import { POSE_STRIDE, type ViewFrame, type ViewInit } from './sim-protocol.ts';
import { $, setText } from './ui.ts';
import { formatWind, vaneRotationDeg, windReadout } from './wind-readout.ts';

/** What the panel needs of the view: which drone is selected, its wind, and how the camera is turned. */
export interface UavViewSource {
  readonly windDroneId: string;
  readonly windAtDrone: Readonly<[number, number, number]> | null;
  screenUpRad(): number;
}

export class UavPanel {
  private readonly card = $('uav-card');
  private readonly id = $('uav-id');
  private readonly height = $('uav-height');
  private readonly speed = $('uav-speed');
  private readonly vspeed = $('uav-vspeed');
  private readonly phase = $('uav-phase');
  private readonly wind = $('uav-wind');
  private readonly chip = $('hud-wind');
  private readonly chipText = $('hud-wind-text');
  private readonly vane = $('hud-wind-vane');
  /** Each drone's index in the frames' poses (empty: no drones). */
  private drones = new Map<string, number>();
  private progress: NonNullable<ViewFrame['progress']> = {};
  private lastVane = NaN;

  constructor(private readonly view: UavViewSource | null) {}

  /** Show the panel if the run has drones. */
  attach(init: ViewInit): void {
    this.drones = new Map(init.actors.filter((a) => a.descriptor.kind === 'uav').map((a) => [a.descriptor.id, a.index]));
    this.progress = {};
    const any = this.drones.size > 0;
    this.card.hidden = !any;
    this.chip.hidden = !any;
  }

  clear(): void {
    this.drones = new Map();
    this.progress = {};
    this.card.hidden = true;
    this.chip.hidden = true;
  }

  /** Keep the latest mission progress the frames report (panel frames carry it). */
  take(f: ViewFrame): void {
    if (f.progress) this.progress = f.progress;
  }

  /** Refresh from the poses drawn now. */
  update(poses: PoseSample | null): void {
    if (!poses || this.card.hidden) return;
    const id = this.view?.windDroneId || this.drones.keys().next().value || '';
    const index = this.drones.get(id);
    if (index === undefined) return;
    setText(this.id, id);
    const o = POSE_STRIDE * index;
    const present = poses.present[index] === 1;
    setText(this.height, poses.pose[o + 2]!.toFixed(1));
    setText(this.speed, Math.hypot(poses.pose[o + 7]!, poses.pose[o + 8]!).toFixed(1));
    const vz = poses.pose[o + 9]!;
    setText(this.vspeed, `${vz >= 0 ? '+' : '−'}${Math.abs(vz).toFixed(1)}`);
    const p = this.progress[id];
    setText(this.phase, p ? `${p.phase} · waypoint ${p.waypoint}` : present ? 'no agent report' : 'removed');
    const w = this.view?.windAtDrone ?? null;
    if (!w) {
      setText(this.wind, 'not modelled for this actor');
      setText(this.chipText, 'wind —');
      return;
    }
    const r = windReadout(w);
    const line = formatWind(r);
    setText(this.wind, line);
    setText(this.chipText, `wind ${line}`);
    this.chip.dataset.speed = r.speedMps.toFixed(2);
    const deg = Math.round(vaneRotationDeg(r.towardRad, this.view?.screenUpRad() ?? Math.PI / 2));
    const calm = Number.isNaN(r.towardRad);
    if (deg !== this.lastVane || this.vane.classList.contains('calm') !== calm) {
      this.lastVane = deg;
      this.vane.style.transform = `rotate(${deg}deg)`;
      this.vane.classList.toggle('calm', calm);
    }
  }
}
