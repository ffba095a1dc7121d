/**
 * The TTC and clearance markers' toggle (a lab feature, web/app.ts): a
 * "Markers" button in the lab tools, the M key, and `markers=0|1` in the
 * link (on by default). The markers themselves are drawn by the 3D view
 * (web/markers-view.ts) from each frame's `markers`.
 */
import { app, appEvents } from './app.ts';
import { parseDeepLink, registerLinkParam } from './params.ts';
import './markers.css';

let on = parseDeepLink(window.location.search).markers;

const button = document.createElement('button');
button.id = 'btn-markers';
button.type = 'button';
button.className = 'btn btn-toggle';
button.dataset.testid = 'markers-toggle';
button.textContent = 'Markers';
button.title = 'TTC and clearance markers: a line to the actor that sets the ego\'s time-to-collision and one to the nearest body, coloured against the criterion thresholds (M)';
document.getElementById('lab-tools')?.append(button);

function apply(): void {
  button.setAttribute('aria-pressed', String(on));
  const scene = app().scene?.();
  if (scene) scene.showMarkers = on;
}

function setMarkers(next: boolean): void {
  on = next;
  apply();
  const q = new URLSearchParams(window.location.search);
  if (on) q.delete('markers');
  else q.set('markers', '0');
  const search = `?${q.toString()}`;
  if (window.location.search !== search) window.history.replaceState(null, '', search);
}

registerLinkParam('markers', () => (on ? null : '0'));
button.addEventListener('click', () => setMarkers(!on));
window.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) || t?.closest('.cm-editor')) return;
  if (e.key === 'm' || e.key === 'M') setMarkers(!on);
});
appEvents.on('init', apply);
apply();
