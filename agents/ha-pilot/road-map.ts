/**
 * The pilot's HD map: the road network it drives on, a prior an L4 system is
 * allowed to hold (it is surveyed, not sensed).
 *
 * Until the world hands agents the network it built (see `HaPilotEnv.map` in
 * ../ha-pilot.ts), the pilot rebuilds it from the same procedural spec the
 * scenario gives in `world.road`, passed as the agent's `map` param (a YAML
 * anchor on `world.road` keeps the two identical). The spec is the scenario
 * format's: degrees at the file edge, converted here as the loader converts
 * them. Only the builders of the pilot's ODD are accepted: `highway` and
 * `on-ramp` (motorways; issue #3 section 6 puts urban driving in a later
 * version).
 */
import { z } from 'zod';
import { buildHighway, buildOnRamp } from '../../vehicles/road/builders.ts';
import { RoadNetwork } from '../../vehicles/road/road-network.ts';

const DEG = Math.PI / 180;
const finite = () => z.number().finite();
const positive = () => z.number().finite().positive();
const vec2 = z.tuple([finite(), finite()]);

const highwayMap = z
  .object({
    builder: z.literal('highway'),
    params: z
      .object({
        roadId: z.string().min(1).optional(),
        lanesPerDirection: z.number().int().min(1).max(8),
        lengthM: positive(),
        laneWidthM: positive().optional(),
        shoulderWidthM: positive().optional(),
        speedLimitMps: positive().optional(),
        origin: vec2.optional(),
        headingDeg: finite().optional(),
        curve: z
          .object({ startS: finite().nonnegative(), radiusM: positive(), angleDeg: finite(), spiralLengthM: finite().nonnegative().optional() })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();

const onRampMap = z
  .object({
    builder: z.literal('on-ramp'),
    params: z
      .object({
        lanesPerDirection: z.number().int().min(1).max(8),
        upstreamLengthM: positive(),
        downstreamLengthM: positive(),
        laneWidthM: positive().optional(),
        shoulderWidthM: positive().optional(),
        speedLimitMps: positive().optional(),
        rampSpeedLimitMps: positive().optional(),
        accelerationLaneLengthM: positive().optional(),
        taperLengthM: positive().optional(),
        rampRadiusM: positive().optional(),
        rampSpiralLengthM: finite().nonnegative().optional(),
        rampAngleDeg: finite().optional(),
        rampApproachLengthM: positive().optional(),
        origin: vec2.optional(),
        headingDeg: finite().optional(),
      })
      .strict(),
  })
  .strict();

/** A road spec as the scenario's `world.road` writes it, for the builders in the pilot's ODD. */
export const mapSpec = z
  .discriminatedUnion('builder', [highwayMap, onRampMap])
  .describe("the HD map: the scenario's world.road spec (highway or on-ramp), e.g. a YAML alias of it");
export type MapSpec = z.output<typeof mapSpec>;

/** Drop undefined values, so that an absent field never overwrites a builder default. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Build the network a map spec describes (the loader's conversion, for these builders). */
export function networkFromMapSpec(spec: MapSpec): RoadNetwork {
  switch (spec.builder) {
    case 'highway': {
      const { headingDeg, curve, ...rest } = spec.params;
      return new RoadNetwork(
        buildHighway(defined({
          ...rest,
          headingRad: headingDeg === undefined ? undefined : headingDeg * DEG,
          curve: curve ? defined({ startS: curve.startS, radiusM: curve.radiusM, angleRad: curve.angleDeg * DEG, spiralLengthM: curve.spiralLengthM }) : undefined,
        })),
      );
    }
    case 'on-ramp': {
      const { headingDeg, rampAngleDeg, ...rest } = spec.params;
      return new RoadNetwork(
        buildOnRamp(defined({
          ...rest,
          headingRad: headingDeg === undefined ? undefined : headingDeg * DEG,
          rampAngleRad: rampAngleDeg === undefined ? undefined : rampAngleDeg * DEG,
        })),
      );
    }
  }
}
