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
import type { Run } from '../scenarios/runner.ts';
import { $, setText } from './ui.ts';
import { formatWind, vaneRotationDeg, windReadout } from './wind-readout.ts';

/** What the panel needs of the view: which drone is selected, its wind, and how the camera is turned. */
export interface UavViewSource {
  readonly windDroneId: string;
  readonly windAtDrone: Readonly<[number, number, number]> | null;
  screenUpRad(): number;
}

interface ProgressSource {
  readonly progress?: { phase: string; waypoint: number };
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
  private run: Run | null = null;
  private lastVane = NaN;

  constructor(private readonly view: UavViewSource | null) {}

  /** Show the panel if the run has drones. */
  attach(run: Run): void {
    this.run = run;
    const any = run.world.actors().some((a) => a.descriptor.kind === 'uav');
    this.card.hidden = !any;
    this.chip.hidden = !any;
    this.update();
  }

  clear(): void {
    this.run = null;
    this.card.hidden = true;
    this.chip.hidden = true;
  }

  update(): void {
    const run = this.run;
    if (!run || this.card.hidden) return;
    const id = this.view?.windDroneId || run.world.actors().find((a) => a.descriptor.kind === 'uav')?.id || '';
    if (!id) return;
    setText(this.id, id);
    const s = run.world.stateOf(id);
    setText(this.height, s.position[2].toFixed(1));
    setText(this.speed, Math.hypot(s.linearVelocity[0], s.linearVelocity[1]).toFixed(1));
    const vz = s.linearVelocity[2];
    setText(this.vspeed, `${vz >= 0 ? '+' : '−'}${Math.abs(vz).toFixed(1)}`);
    const p = (run.world.agentOf(id) as ProgressSource | undefined)?.progress;
    setText(this.phase, p ? `${p.phase} · waypoint ${p.waypoint}` : s.present ? 'no agent report' : 'removed');
    const w = this.view?.windAtDrone ?? (run.world.actor(id) as unknown as { windMps?: [number, number, number] }).windMps ?? null;
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
