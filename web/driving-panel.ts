/**
 * The driving panel: for a scenario with driving criteria, the live driving
 * score, the ego's speed, the current and minimum time-to-collision, and the
 * infractions as they happen. The numbers are read from the running
 * criteria's own state in the sim worker (web/driving-readout.ts) and arrive
 * in the frames; the ego's speed comes from its pose. All of it is ground
 * truth, as the criteria judge it: not what the agent perceives.
 */
import type { DrivingFrame, DrivingInit } from './sim-protocol.ts';
import { $, setText } from './ui.ts';

const MPS_TO_KMH = 3.6;

export class DrivingPanel {
  private readonly root = $('driving-card');
  private readonly score = $('drv-score');
  private readonly scoreLabel = $('drv-score-label');
  private readonly scoreDetail = $('drv-score-detail');
  private readonly speed = $('drv-speed');
  private readonly limit = $('drv-limit');
  private readonly ttcNow = $('drv-ttc-now');
  private readonly ttcMin = $('drv-ttc-min');
  private readonly list = $('drv-infractions');
  private readonly count = $('drv-infraction-count');
  private readonly egoName = $('drv-ego');

  private total = 0;
  private egoId = '';

  /** The ego the driving criteria judge, or '' when the run has none. */
  get ego(): string {
    return this.egoId;
  }

  /** Show the panel for a run with driving criteria (`init` null: hide it). */
  attach(init: DrivingInit | null): void {
    this.clear();
    if (!init) return;
    this.egoId = init.egoId;
    setText(this.egoName, init.egoId);
    setText(this.scoreLabel, init.label);
    this.root.hidden = false;
    setText(this.count, '0');
  }

  clear(): void {
    this.root.hidden = true;
    this.egoId = '';
    this.total = 0;
    this.list.replaceChildren();
    setText(this.count, '');
  }

  /** The ego's ground speed, m/s (from the frame's poses; NaN once removed). */
  setSpeed(speedMps: number): void {
    if (this.root.hidden) return;
    setText(this.speed, Number.isFinite(speedMps) ? (speedMps * MPS_TO_KMH).toFixed(1) : '—');
  }

  /** Show a frame's readout (strings made in the worker) and append its new infractions. */
  update(d: DrivingFrame): void {
    if (this.root.hidden) return;
    setText(this.score, d.score);
    setText(this.scoreDetail, d.detail);
    setText(this.limit, d.limit);
    setText(this.ttcNow, d.ttcNow);
    setText(this.ttcMin, d.ttcMin);
    this.ttcNow.classList.toggle('drv-warn', d.ttcWarn);
    this.appendInfractions(d.infractions);
  }

  private appendInfractions(fresh: DrivingFrame['infractions']): void {
    if (fresh.length === 0) return;
    for (const i of fresh) {
      const li = document.createElement('li');
      li.className = 'drv-infraction';
      li.dataset.testid = 'driving-infraction';
      const time = document.createElement('span');
      time.className = 'event-time';
      time.textContent = i.time.toFixed(2);
      const kind = document.createElement('span');
      kind.className = 'drv-infraction-kind';
      kind.textContent = i.kind;
      const text = document.createElement('span');
      text.className = 'event-text';
      text.textContent = i.text;
      li.title = `${i.kind}: ${i.text} at t=${i.time.toFixed(2)} s`;
      li.append(time, kind, text);
      this.list.append(li);
    }
    this.total += fresh.length;
    setText(this.count, String(this.total));
  }
}
