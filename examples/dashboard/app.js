// The dashboard: one GraphQL query per load (and per filter change) for the charts, the QC strip
// and the counts, which the gateway computes over the filtered sessions (`stats(filter)`); the
// drill-down asks one more query per step. Plain modules, no build step, nothing from a CDN.
// Requests carry the browser's sign-in cookie, so everything shown is what the signed-in user (or
// the gateway's configured user) may read.

import { graphql, signInHref, SignInNeeded, signOut, whoAmI } from './api.js';
import { experimentFilter, scansByTypePerProject, sessionsPerMonth, total } from './aggregate.js';
import { drawPerProject, drawScansByType, drawSessionsPerMonth } from './charts.js';
import { DrillDown, thumbnailOf } from './drilldown.js';
import { DASHBOARD, THUMBNAILS } from './queries.js';

const $ = (selector) => document.querySelector(selector);
const form = $('#filters');
const status = $('#status');
const drill = new DrillDown($('#drilldown'));
/** Modalities seen so far: the first (unfiltered) load lists them all, later loads keep the choice list whole. */
const modalities = new Set();

function choices() {
  return { project: form.project.value, modality: form.modality.value, from: form.from.value, to: form.to.value };
}

function fillSelect(select, values, allLabel) {
  const current = select.value;
  select.replaceChildren(new Option(allLabel, ''), ...values.map((v) => new Option(v, v)));
  select.value = values.includes(current) ? current : '';
}

function setCount(id, value) {
  $(id).textContent = String(value);
}

function renderThumbnails(scans) {
  const strip = $('#qc-strip');
  const figures = scans
    .map((scan) => ({ scan, thumb: thumbnailOf(scan) }))
    .filter((t) => t.thumb)
    .map(({ scan, thumb }) => {
      const img = Object.assign(document.createElement('img'), {
        src: thumb.downloadUrl,
        alt: `QC ${scan.session.label} scan ${scan.label}`,
        className: 'thumb',
      });
      const caption = Object.assign(document.createElement('figcaption'), {
        textContent: `${scan.session.label} · ${scan.label} ${scan.type ?? ''}`,
      });
      const figure = document.createElement('figure');
      figure.append(img, caption);
      return figure;
    });
  strip.replaceChildren(...figures);
  if (figures.length === 0) strip.textContent = 'No SNAPSHOTS thumbnails among the matching scans.';
}

function render(data, picked) {
  const projects = data.projects.nodes;
  const shown = picked.project ? projects.filter((p) => p.label === picked.project) : projects;
  for (const p of projects) for (const c of p.stats.byModality) if (c.key) modalities.add(c.key);
  fillSelect(
    form.project,
    projects.map((p) => p.label),
    'All projects',
  );
  fillSelect(form.modality, [...modalities].sort(), 'All modalities');

  const narrowed = Boolean(picked.modality || picked.from || picked.to);
  setCount('#total-projects', shown.length);
  setCount('#total-subjects', total(shown, 'subjectCount'));
  setCount('#total-sessions', total(shown, 'sessionCount'));
  setCount('#total-scans', total(shown, 'scanCount'));
  $('#subjects-note').textContent = narrowed ? 'subjects with a matching session' : 'subjects';

  drawSessionsPerMonth(
    sessionsPerMonth(
      shown.flatMap((p) => p.stats.sessionsByModalityAndMonth),
      { from: picked.from, to: picked.to },
    ),
  );
  drawScansByType(scansByTypePerProject(shown));
  drawPerProject(shown.map((p) => ({ project: p.label, subjects: p.stats.subjectCount, sessions: p.stats.sessionCount })));
  renderThumbnails(data.qc.nodes);
  drill.reset(shown, experimentFilter(picked));
}

async function load() {
  const picked = choices();
  history.replaceState(null, '', `?${new URLSearchParams(Object.entries(picked).filter(([, v]) => v))}`);
  document.body.dataset.ready = 'loading';
  status.className = '';
  status.textContent = 'Loading…';
  try {
    const data = await graphql(DASHBOARD, { filter: experimentFilter(picked), thumbnails: THUMBNAILS });
    render(data, picked);
    status.textContent = '';
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.className = 'error';
    if (error instanceof SignInNeeded) {
      status.replaceChildren(
        `${error.message} `,
        Object.assign(document.createElement('a'), { id: 'signin-prompt', href: signInHref(), textContent: 'Sign in' }),
      );
      document.body.dataset.ready = 'signin';
    } else {
      status.textContent = `Could not load the dashboard: ${error.message}`;
      document.body.dataset.ready = 'error';
    }
  }
}

async function renderSignInBar() {
  const bar = $('#signin');
  const who = await whoAmI();
  const signIn = Object.assign(document.createElement('a'), { id: 'signin-link', href: signInHref(), textContent: 'Sign in' });
  const name = (text) => Object.assign(document.createElement('b'), { textContent: text });
  if (who.signedIn) {
    const out = Object.assign(document.createElement('button'), { id: 'signout', type: 'button', textContent: 'Sign out' });
    out.onclick = async () => {
      await signOut();
      location.assign(signInHref());
    };
    bar.replaceChildren('Signed in as ', name(who.user), ' · ', out);
  } else if (who.user) {
    bar.replaceChildren('As the gateway user ', name(who.user), ' · ', signIn);
  } else {
    bar.replaceChildren('Not signed in · ', signIn);
  }
}

// Filters come from the address, so a filtered view can be shared as a link.
const initial = new URLSearchParams(location.search);
for (const name of ['from', 'to']) form[name].value = initial.get(name) ?? '';
for (const name of ['project', 'modality']) {
  const value = initial.get(name);
  if (value) form[name].replaceChildren(new Option(value, value));
}
form.addEventListener('change', load);
form.addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});
form.addEventListener('reset', () => setTimeout(load));

renderSignInBar();
load();
