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
import type { AirspaceReadout, ViewFrame, ViewInit } from './sim-protocol.ts';
import { $, setText } from './ui.ts';
import { ZONE_DISPLAY_CAP_M } from './zone-geometry.ts';

export { readAirspace, type AirspaceChipState, type AirspaceReading } from './airspace-readout.ts';

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
  private air: ViewInit['airspace'] = null;
  private readouts: Record<string, AirspaceReadout> = {};

  constructor(private readonly view: AirspaceViewSource | null) {}

  attach(init: ViewInit): void {
    this.air = init.airspace;
    this.readouts = {};
    const on = this.air !== null && init.actors.some((a) => a.descriptor.kind === 'uav');
    this.chip.hidden = !on;
    this.row.hidden = !on;
    this.rowLabel.hidden = !on;
    this.update();
  }

  clear(): void {
    this.air = null;
    this.readouts = {};
    this.chip.hidden = true;
    this.row.hidden = true;
    this.rowLabel.hidden = true;
    this.legend.hidden = true;
    delete this.chip.dataset.state;
  }

  /**
   * Keep the latest readouts the frames carry (made in the worker from ground
   * truth); true when the shown drone's changed (the chip is then redrawn at
   * once: a warning may stand for less than a panel period).
   */
  take(f: ViewFrame): boolean {
    if (!f.airspace) return false;
    const id = this.shownId();
    const before = this.readouts[id];
    this.readouts = f.airspace.readouts;
    const after = this.readouts[id];
    return before?.state !== after?.state || before?.text !== after?.text;
  }

  private shownId(): string {
    return this.view?.windDroneId || this.air?.uavIds[0] || '';
  }

  update(): void {
    this.renderLegend();
    const air = this.air;
    if (!air || this.chip.hidden) return;
    const id = this.shownId();
    const r = this.readouts[id];
    if (!id || !r) return;
    this.chip.dataset.state = r.state;
    this.chip.dataset.drone = id;
    setText(this.chipText, `${id}: ${r.text}`);
    const agent = r.agent;
    setText(this.line, agent ? `${r.text} · agent: ${agent.status}` : r.text);
    this.line.title = agent?.notes.length ? agent.notes.join('\n') : '';
    this.line.dataset.state = r.state;
  }

  /** The legend: what the volumes are, with their counts as data-* attributes for tests. */
  private renderLegend(): void {
    const c = this.view?.airspaceCounts;
    const on = !!this.air && !!c && c.zones > 0 && (this.view?.zonesShown ?? false);
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
