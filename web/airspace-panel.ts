/**
 * Airspace state of the selected drone (issue #6 section 8): a HUD chip and
 * a line in the drone card saying whether it is inside an active zone, has a
 * predicted breach standing, or is clear; and the zones legend (counts,
 * active zones, the display cap of ceiling-less zones).
 *
 * Both are ground truth: "inside" is the drone's true position against the
 * active zones (what the compliance engine judges), and the warnings are the
 * airspace service's predicted-breach feed (`warningsFor`), computed from the
 * true velocity. The agent's own view is its `progress.airspace` status,
 * shown beside them when it reports one.
 */
import type { Run } from '../scenarios/runner.ts';
import { airspaceOf, type AirspaceService } from '../uav/airspace/service.ts';
import { $, setText } from './ui.ts';
import { ZONE_DISPLAY_CAP_M } from './zone-geometry.ts';

/**
 * inside: in an active zone it may not enter (PROHIBITED; REQ_AUTHORISATION
 * without its authorisation: the service's rule for predicted breaches);
 * warning: such a breach predicted within its stopping distance; in-zone: in
 * an active zone it may be in (authorised, CONDITIONAL, WARNING...); clear.
 */
export type AirspaceChipState = 'inside' | 'warning' | 'in-zone' | 'clear';

export interface AirspaceReading {
  state: AirspaceChipState;
  text: string;
}

interface AirspaceProgressSource {
  readonly progress?: { airspace?: { status: string; notes: readonly string[] } };
}

/** What the drone `id` is doing with respect to the airspace at `t` (ground truth). */
export function readAirspace(svc: AirspaceService, id: string, position: readonly number[], t: number): AirspaceReading {
  const amsl = svc.originAmslM + position[2]!;
  const ground = () => svc.originAmslM;
  const known = svc.uavIds().includes(id);
  const breach: string[] = [], allowed: string[] = [];
  svc.zones.forEach((z, i) => {
    if (!svc.isActive(i, t) || !z.contains(position[0]!, position[1]!, amsl, ground)) return;
    // The service's own record of this stay says whether the UAV carried the authorisation.
    const authorised = known && (svc.latestIncursion(id, z.id)?.authorised ?? false);
    if (z.restriction === 'PROHIBITED' || (z.restriction === 'REQ_AUTHORISATION' && !authorised)) breach.push(`${z.id} (${z.restriction})`);
    else allowed.push(`${z.id} (${z.restriction}${authorised ? ', authorised' : ''})`);
  });
  if (breach.length > 0) return { state: 'inside', text: `inside ${breach.join(', ')}` };
  const ws = known ? svc.warningsFor(id) : [];
  if (ws.length > 0) {
    const w = ws.reduce((a, b) => (b.distanceM < a.distanceM ? b : a));
    return { state: 'warning', text: `breach predicted: ${w.zone} (${w.restriction}) in ${w.distanceM.toFixed(1)} m${ws.length > 1 ? ` +${ws.length - 1}` : ''}` };
  }
  if (allowed.length > 0) return { state: 'in-zone', text: `in ${allowed.join(', ')}` };
  return { state: 'clear', text: 'clear of active zones' };
}

/** What the panel needs of the view. */
export interface AirspaceViewSource {
  readonly windDroneId: string;
  readonly airspaceCounts: { zones: number; volumes: number; active: number; capped: number; planned: number };
  readonly zonesShown: boolean;
}

export class AirspacePanel {
  private readonly chip = $('hud-airspace');
  private readonly chipText = $('hud-airspace-text');
  private readonly row = $('uav-airspace-row');
  private readonly rowLabel = $('uav-airspace-label');
  private readonly line = $('uav-airspace');
  private readonly legend = $('zones-legend');
  private readonly legendText = $('zones-legend-text');
  private run: Run | null = null;
  private svc: AirspaceService | null = null;

  constructor(private readonly view: AirspaceViewSource | null) {}

  attach(run: Run): void {
    this.run = run;
    this.svc = airspaceOf(run.world) ?? null;
    const on = this.svc !== null && run.world.actors().some((a) => a.descriptor.kind === 'uav');
    this.chip.hidden = !on;
    this.row.hidden = !on;
    this.rowLabel.hidden = !on;
    this.update();
  }

  clear(): void {
    this.run = null;
    this.svc = null;
    this.chip.hidden = true;
    this.row.hidden = true;
    this.rowLabel.hidden = true;
    this.legend.hidden = true;
    delete this.chip.dataset.state;
  }

  update(): void {
    this.renderLegend();
    const run = this.run, svc = this.svc;
    if (!run || !svc || this.chip.hidden) return;
    const id = this.view?.windDroneId || svc.uavIds()[0] || '';
    if (!id) return;
    const s = run.world.stateOf(id);
    const r = s.present ? readAirspace(svc, id, s.position, run.time) : { state: 'clear' as const, text: 'removed' };
    this.chip.dataset.state = r.state;
    this.chip.dataset.drone = id;
    setText(this.chipText, `${id}: ${r.text}`);
    const agent = (run.world.agentOf(id) as AirspaceProgressSource | undefined)?.progress?.airspace;
    setText(this.line, agent ? `${r.text} · agent: ${agent.status}` : r.text);
    this.line.title = agent?.notes.length ? agent.notes.join('\n') : '';
    this.line.dataset.state = r.state;
  }

  /** The legend: what the volumes are, with their counts as data-* attributes for tests. */
  private renderLegend(): void {
    const c = this.view?.airspaceCounts;
    const on = !!this.svc && !!c && c.zones > 0 && (this.view?.zonesShown ?? false);
    this.legend.hidden = !on;
    if (!c) return;
    this.legend.dataset.zones = String(c.zones);
    this.legend.dataset.volumes = String(c.volumes);
    this.legend.dataset.active = String(c.active);
    this.legend.dataset.planned = String(c.planned);
    if (!on) return;
    const cap = c.capped ? ` · ${c.capped} without ceiling drawn to ${ZONE_DISPLAY_CAP_M} m` : '';
    setText(this.legendText, `Airspace: ${c.zones} zone${c.zones === 1 ? '' : 's'}, ${c.active} active (faint, dashed: inactive)${cap}`);
  }
}
