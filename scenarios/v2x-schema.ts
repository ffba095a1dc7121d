/**
 * The V2X parts of the scenario format (issue #3, section 4), kept in their
 * own module and imported by schema.ts: `world.v2x` (the radio), an
 * equipped car's `v2x` block (it broadcasts BSMs), and the `v2x` sensor
 * (an actor's receiver). Defaults and their sources live next to the code
 * that uses them: vehicles/v2x/radio.ts (RADIO_DEFAULTS), messages.ts
 * (rates), line-of-sight.ts (NLOS model), v2x-service.ts (BSM position error).
 */
import { z } from 'zod';

const finite = () => z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const positive = () => finite().refine((x) => x > 0, { message: 'expected a number > 0' });
const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { message: 'expected an id: a letter, then letters, digits, _ or -' });

export const v2xLossSchema = z.union([
  finite().min(0).max(1).describe('probability that one receiver copy is lost, [0, 1]'),
  z
    .object({
      halfLossDistanceM: finite().nonnegative().describe('link distance at which half the packets are lost, m'),
      transitionWidthM: positive().describe('width of the logistic fall-off, m'),
    })
    .strict()
    .describe('logistic packet-error rate over distance (Bai, Stancil & Krishnan 2010 gray zone); state your source'),
]);

export const v2xWorldSchema = z
  .object({
    enabled: z.boolean().default(true).describe('false: nothing is broadcast and every v2x sensor reads unhealthy (a "no V2X" baseline)'),
    rangeM: positive().optional().describe('hard radio range, m; default 300 (RADIO_DEFAULTS: LOS V2V range quoted for DSRC / LTE-V2X)'),
    latencyS: finite().min(0).max(10).optional().describe('end-to-end latency, s of sim time; default 0.1 (3GPP TS 22.185 maximum)'),
    loss: v2xLossSchema.optional().describe('packet loss per receiver copy; default 0'),
    lineOfSight: z
      .union([
        z.boolean(),
        z
          .object({
            nlosRangeM: positive().optional().describe('range of a link blocked by a building, m; default from 3GPP TR 37.885 urban LOS/NLOS path loss at 5.9 GHz (about 27 m for a 300 m range)'),
          })
          .strict(),
      ])
      .default(false)
      .describe('true: a raycast between the antennas; a static obstacle in the way makes the link NLOS (vehicles/v2x/line-of-sight.ts)'),
    bsmRateHz: positive().optional().describe('default 10 Hz (SAE J2945/1)'),
    spatRateHz: positive().optional().describe('default 10 Hz (Skylane assumption: the BSM rate)'),
  })
  .strict();

export const v2xActorSchema = z
  .object({
    bsm: z.boolean().default(true).describe('broadcast BSMs from this car'),
    positionSigmaM: finite().nonnegative().optional().describe("the sender's own GNSS error in its BSMs, horizontal 1 sigma, m; default 1.5 (SAE J2945/1); 0: exact"),
    positionCorrelationS: positive().optional().describe('correlation time of that error, s; default 60 (Gauss-Markov, Skylane assumption)'),
  })
  .strict();

export const v2xSensorSchema = z
  .object({
    type: z.literal('v2x'),
    name: id.default('v2x'),
    rateHz: positive().optional().describe('how often the inbox is read, Hz; default 10'),
  })
  .strict();

export type V2xWorldSpec = z.output<typeof v2xWorldSchema>;
export type V2xActorSpec = z.output<typeof v2xActorSchema>;
export type V2xSensorSpec = z.output<typeof v2xSensorSchema>;
