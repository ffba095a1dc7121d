/**
 * The `swarms` block of a scenario file: N identical UAVs declared once and
 * expanded by the loader into ordinary `uav` actors (ids `<idPrefix>-00` ...)
 * appended to `actors`, each with its own mission in its agent's
 * `params.waypoints`, and optionally one `reach-goal` criterion per member.
 * The expansion works on the raw document, after `vary` has drawn its values
 * (so a seed can move the whole layout) and before the schema check, so the
 * members are validated like hand-written actors; an error in one of them
 * is reported against the block (`swarms[0].agent.params...`).
 */
import type { z } from 'zod';
import { swarmGeneratorSchema, type SwarmGeneratorSpec } from './schema.ts';

const DEG = Math.PI / 180;

export class SwarmBlockError extends Error {
  constructor(
    readonly fieldPath: string,
    readonly expected: string,
  ) {
    super(`${fieldPath}: ${expected}`);
  }
}

/** Where a generated member came from: block index and member id (to report its errors against the block). */
export interface GeneratedMember {
  block: number;
  id: string;
}

/** Member ids of a block: two digits, or as many as count - 1 needs. */
export function memberIds(idPrefix: string, count: number): string[] {
  const width = Math.max(2, String(count - 1).length);
  return Array.from({ length: count }, (_, i) => `${idPrefix}-${String(i).padStart(width, '0')}`);
}

/** Start and goal [x, y] of each member of a layout. */
export function layoutPoints(spec: SwarmGeneratorSpec): { start: [number, number]; goal: [number, number] }[] {
  const l = spec.layout;
  const [cx, cy] = l.centerM;
  return Array.from({ length: spec.count }, (_, i) => {
    const a = l.phaseDeg * DEG + (2 * Math.PI * i) / spec.count;
    const c = Math.cos(a), s = Math.sin(a);
    return { start: [cx + l.radiusM * c, cy + l.radiusM * s], goal: [cx - l.radiusM * c, cy - l.radiusM * s] };
  });
}

function firstIssue(err: z.ZodError, prefix: string): SwarmBlockError {
  const iss = err.issues[0]!;
  const path = iss.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
  return new SwarmBlockError(`${prefix}${path}`, iss.message.replace(/^Invalid input: /, ''));
}

/**
 * The document with every `swarms` block expanded (a copy; the input is not
 * changed), and which generated actor index came from which block. Throws
 * SwarmBlockError on a bad block.
 */
export function expandSwarms(doc: Record<string, unknown>): { doc: Record<string, unknown>; members: Map<number, GeneratedMember>; firstGenerated: number } {
  const raw = doc.swarms;
  const actors = Array.isArray(doc.actors) ? [...(doc.actors as unknown[])] : doc.actors;
  const firstGenerated = Array.isArray(actors) ? actors.length : 0;
  const members = new Map<number, GeneratedMember>();
  if (raw === undefined) return { doc, members, firstGenerated };
  if (!Array.isArray(raw)) throw new SwarmBlockError('swarms', 'expected a list of swarm blocks');
  if (!Array.isArray(actors)) return { doc, members, firstGenerated }; // the schema reports a missing or bad actors list
  const criteria = Array.isArray(doc.criteria) ? [...(doc.criteria as unknown[])] : doc.criteria;
  const taken = new Set(actors.map((a) => (a !== null && typeof a === 'object' ? (a as Record<string, unknown>).id : undefined)));
  raw.forEach((block, b) => {
    const r = swarmGeneratorSchema.safeParse(block);
    if (!r.success) throw firstIssue(r.error, `swarms[${b}]`);
    const spec = r.data;
    if ('waypoints' in spec.agent.params) throw new SwarmBlockError(`swarms[${b}].agent.params.waypoints`, 'is filled in by the generator from the layout (start and goal at altitudeM); remove it');
    if ('airframe' in spec.agent.params && spec.agent.params.airframe !== spec.airframe) {
      throw new SwarmBlockError(`swarms[${b}].agent.params.airframe`, `must match the block's airframe "${spec.airframe}" (or be left out: the generator fills it in)`);
    }
    const ids = memberIds(spec.idPrefix, spec.count);
    const pts = layoutPoints(spec);
    const alt = spec.layout.altitudeM;
    ids.forEach((id, i) => {
      if (taken.has(id)) throw new SwarmBlockError(`swarms[${b}].idPrefix`, `member id "${id}" is already taken by another actor or swarm; choose another idPrefix`);
      taken.add(id);
      const { start, goal } = pts[i]!;
      const yawDeg = (Math.atan2(goal[1] - start[1], goal[0] - start[0]) / DEG);
      members.set(actors.length, { block: b, id });
      actors.push({
        id,
        kind: 'uav',
        airframe: spec.airframe,
        pose: { position: [start[0], start[1]], yawDeg },
        sensors: structuredClone(spec.sensors),
        agent: { type: spec.agent.type, params: { ...structuredClone(spec.agent.params), airframe: spec.airframe, waypoints: [[start[0], start[1], alt], [goal[0], goal[1], alt]] } },
        ...(spec.color !== undefined ? { color: spec.color } : {}),
      });
      if (spec.goal && Array.isArray(criteria)) {
        criteria.push({ type: 'reach-goal', name: `reach-goal ${id}`, actor: id, region: { center: goal, radiusM: spec.goal.radiusM }, withinS: spec.goal.withinS });
      }
    });
  });
  return { doc: { ...doc, actors, criteria }, members, firstGenerated };
}
