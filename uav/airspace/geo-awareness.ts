/**
 * A geo-awareness sensor (issue #6): what a U-space geo-awareness service or
 * DJI's GEO zone feed tells the drone, sampled like any sensor so the agent
 * reads it through its observation. Each sample lists the zones active now
 * (indices into `AirspaceKnowledge.zones`, so a timeline switch is seen at
 * the next sample) and the predicted-breach warnings the airspace service
 * computed for this UAV (uav/airspace/service.ts: a forbidden zone within
 * the stopping distance along the velocity).
 *
 * Simplification: the service predicts from the UAV's ground-truth position
 * and velocity of the previous step. A real service works from the drone's
 * reported telemetry (its own estimate, some latency): here the warning is
 * exact and one physics step old, with no noise and no dropout.
 */
import type { Pose } from '../../sim/math.ts';
import type { SenseContext, Sensor } from '../../sim/sensor.ts';
import type { AirspaceService, BreachWarning } from './service.ts';

export interface GeoAwarenessSample {
  /** Indices of the zones that apply now. */
  active: number[];
  /** Standing predicted-breach warnings for this UAV (copies). */
  warnings: BreachWarning[];
}

/** Default 5 Hz: Skylane's choice, well above the rate zones change and a tenth of the 50 Hz a position loop needs. */
export const GEO_AWARENESS_DEFAULT_RATE_HZ = 5;

export class GeoAwarenessSensor implements Sensor<GeoAwarenessSample> {
  readonly type = 'geo-awareness';
  readonly mount: Pose = { position: [0, 0, 0], rotation: [0, 0, 0, 1] };

  constructor(
    private readonly service: AirspaceService,
    private readonly uav: string,
    readonly name: string,
    readonly rateHz: number = GEO_AWARENESS_DEFAULT_RATE_HZ,
  ) {
    if (!(rateHz > 0)) throw new RangeError(`geo-awareness sensor '${name}': rateHz must be > 0`);
  }

  sample(ctx: SenseContext): GeoAwarenessSample {
    const active: number[] = [];
    for (let i = 0; i < this.service.zones.length; i++) if (this.service.isActive(i, ctx.time)) active.push(i);
    return { active, warnings: this.service.warningsFor(this.uav).map((w) => ({ ...w })) };
  }
}
