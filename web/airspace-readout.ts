/**
 * The airspace readout of one drone (pure, runs in the sim worker): inside an
 * active zone it may not enter, a predicted breach standing, in a zone it may
 * be in, or clear. Ground truth: its true position against the active zones,
 * and the airspace service's predicted-breach feed.
 */
import type { AirspaceService } from '../uav/airspace/service.ts';

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

