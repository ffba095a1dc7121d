/** Gallery thumbnails (web/thumbnail.ts): every library scenario gets a well-formed schematic with a mark per actor. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvedAirspaceOf } from '../../scenarios/airspace-resolve.ts';
import { loadScenarioFile } from '../../scenarios/node-io.ts';
import { thumbnailSvg } from '../../web/thumbnail.ts';
import { ZONE_COLORS } from '../../web/zone-colors.ts';
import { LIBRARY, ROOT } from '../helpers.ts';

function libraryFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'data' ? [] : libraryFiles(p);
    return /\.(ya?ml|json)$/.test(name) ? [p] : [];
  });
}

/**
 * Well-formedness of the XML subset the thumbnail writes: balanced tags,
 * quoted attributes, no stray '<' or '&'. Returns the problem or null.
 */
function xmlProblem(xml: string): string | null {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < xml.length) {
    re.lastIndex = pos;
    m = re.exec(xml);
    if (!m) return `malformed at ${pos}: ${xml.slice(pos, pos + 40)}`;
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      if (/&(?!amp;|lt;|gt;|quot;|#39;)/.test(m[5])) return `unescaped & in text: ${m[5]}`;
      continue;
    }
    const [, close, tag, , self] = m;
    if (close) {
      if (stack.pop() !== tag) return `</${tag}> does not close the open element`;
    } else if (!self) stack.push(tag!);
  }
  return stack.length ? `unclosed <${stack.join('>, <')}>` : null;
}

const files = libraryFiles(LIBRARY);

describe('thumbnailSvg', () => {
  it('finds the library', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s: a well-formed SVG with one mark per actor (and per zone)', (_rel, file) => {
    const loaded = loadScenarioFile(file);
    const s = loaded.scenario;
    const svg = thumbnailSvg(s);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(xmlProblem(svg)).toBeNull();
    const marks = [...svg.matchAll(/data-actor="([^"]*)"/g)].map((m) => m[1]);
    expect(marks).toHaveLength(s.actors.length);
    expect(new Set(marks)).toEqual(new Set(s.actors.map((a) => a.id)));
    // Every actor is placed (none fell back to the corner mark).
    expect(svg).not.toContain('data-unplaced');
    const zones = resolvedAirspaceOf(s)?.zones ?? [];
    if (s.world.airspace) expect(zones.length).toBeGreaterThan(0);
    const zoneMarks = [...svg.matchAll(/data-zone="([^"]*)"/g)].map((m) => m[1]);
    expect(zoneMarks).toEqual(zones.map((z) => z.id));
    // Deterministic.
    expect(thumbnailSvg(s)).toBe(svg);
    // No NaN or Infinity leaked into coordinates.
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws the lanes of a road scenario and the zone colour of its restriction class', () => {
    const road = thumbnailSvg(loadScenarioFile(`${LIBRARY}/cars/lead-brake.yaml`).scenario);
    expect(road).toMatch(/data-layer="road"[^>]*><polyline/);
    const air = thumbnailSvg(loadScenarioFile(`${LIBRARY}/airspace/airport-circle.yaml`).scenario);
    expect(air).toMatch(new RegExp(`data-zone="CTR-1" fill="${ZONE_COLORS.PROHIBITED}"`));
    expect(air).toContain('data-goal');
  });

});
