/**
 * The gallery in the app (issue #7 section 1): the landing view when the URL
 * names no scenario, a "Gallery" tool button (key G) to come back to it, and
 * a card for every library scenario grouped by family (web/gallery.ts).
 * Opening a card builds that scenario in the run view (`app().open`), and
 * main.ts writes its deep link into the URL bar.
 *
 * Installs itself on import (main.ts's lab features block).
 */
import './gallery.css';
import { app, appEvents, labHooks } from './app.ts';
import { cardModel, renderGalleryCards, type GalleryHandle } from './gallery.ts';
import type { RunExtras } from './sim-protocol.ts';

const container = document.getElementById('lab-gallery');
const tools = document.getElementById('lab-tools');

let handle: GalleryHandle | null = null;
let backButton: HTMLButtonElement | null = null;
/** The run view's URL when the gallery was opened over it (restored by "Back to the run"). */
let runUrl: string | null = null;

/** The deep link of a scenario as a card's href (a middle click opens it in a tab). */
function hrefOf(id: string): string {
  return `?${new URLSearchParams({ scenario: id }).toString()}`;
}

/** Build the gallery once (thumbnails are drawn here), with its own header. */
function build(root: HTMLElement): void {
  const head = document.createElement('header');
  head.className = 'lab-gallery-head';
  const title = document.createElement('h1');
  title.className = 'lab-gallery-title';
  title.textContent = 'Skylane scenario gallery';
  const intro = document.createElement('p');
  intro.className = 'lab-gallery-intro';
  intro.textContent = 'Every scenario of the library, by family: what it tests and the clause of the plan it traces to. Open one to watch it run and see its verdict.';
  backButton = document.createElement('button');
  backButton.type = 'button';
  backButton.className = 'btn lab-gallery-back';
  backButton.dataset.testid = 'gallery-back';
  backButton.textContent = 'Back to the run';
  backButton.addEventListener('click', () => hide());
  head.append(title, intro, backButton);
  const body = document.createElement('div');
  body.className = 'lab-gallery-body';
  root.replaceChildren(head, body);
  const cards = app().entries().map(cardModel);
  handle = renderGalleryCards(body, cards, { onOpen: open, hrefOf });
}

export function galleryShown(): boolean {
  return container !== null && !container.hidden;
}

/** Show the gallery over the run view (pausing a playing run). */
export function show(): void {
  if (!container) return;
  if (!handle) build(container);
  const cur = app().current();
  if (backButton) {
    backButton.hidden = cur === null;
    backButton.textContent = cur ? `Back to ${cur.scenarioId}` : 'Back to the run';
  }
  const pause = document.getElementById('btn-pause') as HTMLButtonElement | null;
  if (pause && !pause.disabled) pause.click();
  if (cur) runUrl = window.location.search;
  container.hidden = false;
  document.body.classList.add('lab-gallery-open');
  // The landing page's URL: no scenario named.
  if (window.location.search !== '') window.history.replaceState(null, '', window.location.pathname);
  container.scrollTop = 0;
}

/** Back to the run view (`force`: even before any library run, e.g. to show a recording). */
export function hide(force = false): void {
  // Nothing to go back to before the first run: the gallery stays.
  if (!container || container.hidden || (!force && !app().current())) return;
  container.hidden = true;
  document.body.classList.remove('lab-gallery-open');
  if (runUrl !== null && app().current()) window.history.replaceState(null, '', runUrl);
  runUrl = null;
}

/** A card was chosen: build that scenario (a new scenario starts unbroken, with the scenario's own built-in agents). */
function open(id: string): void {
  runUrl = null;
  const { breakIt: _b, agentSwaps: _s, ...keep } = app().current()?.extras ?? ({} as RunExtras);
  app().open(id, { extras: keep, autoplay: false });
  // (its 'select' event has hidden the gallery already)
  hide();
}

if (container && tools) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn';
  button.dataset.testid = 'gallery-button';
  button.title = 'The scenario gallery: every library scenario by family (G)';
  button.textContent = 'Gallery';
  button.addEventListener('click', () => (galleryShown() ? hide() : show()));
  tools.prepend(button);

  // The gallery is the landing view when the URL names no scenario.
  labHooks.landing = () => {
    // A recording named in the URL is what the page opens (web/replay.ts), not the gallery.
    if (new URLSearchParams(window.location.search).has('recording')) return false;
    show();
    return true;
  };
  // Any other way of choosing a scenario (the sidebar list) leaves the gallery.
  appEvents.on('select', () => {
    runUrl = null;
    hide();
  });
  // A recording opened (dropped on the gallery, or from the tool row) is shown at once.
  appEvents.on('replay', () => {
    runUrl = null;
    hide(true);
  });
  // While the gallery covers the run view, the run's keys (Space, S, R, ...) would act on a run nobody sees:
  // this listener runs first (capture) and keeps them from main.ts's; typing in the filter is untouched.
  window.addEventListener(
    'keydown',
    (e) => {
      const t = e.target as HTMLElement | null;
      if (!galleryShown() || (t && (/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable))) return;
      if (e.key !== 'g' && e.key !== 'G' && e.key !== 'Escape' && e.key !== 'Tab' && e.key !== 'Enter') e.stopImmediatePropagation();
    },
    true,
  );
  window.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && (/^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable))) return;
    if (e.key === 'g' || e.key === 'G') {
      e.preventDefault();
      if (galleryShown()) hide();
      else show();
    } else if (e.key === 'Escape' && galleryShown() && app().current()) hide();
  });
}
