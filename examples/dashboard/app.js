// The dashboard: ONE GraphQL query for every project's counts and the sessions per modality per
// month, rendered as plain tables. No framework, no build step, nothing from a CDN. The browser
// sends the credentials it already has for this origin (or the gateway's configured ones).

const QUERY = `query Dashboard {
  projects {
    nodes {
      label
      name
      stats {
        subjectCount
        sessionCount
        scanCount
        byModality { key count }
        sessionsByModalityAndMonth { modality month count }
      }
    }
  }
}`;

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = String(text);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function modalityText(counts) {
  return counts.map((c) => `${c.key ?? '(none)'}: ${c.count}`).join(', ');
}

function renderProjects(projects) {
  const body = document.querySelector('#projects tbody');
  const foot = document.querySelector('#projects tfoot');
  body.replaceChildren();
  const totals = { subjects: 0, sessions: 0, scans: 0 };
  for (const p of projects) {
    const row = document.createElement('tr');
    row.dataset.project = p.label;
    cell(row, p.label);
    cell(row, p.name ?? '');
    cell(row, p.stats.subjectCount, 'count subjects');
    cell(row, p.stats.sessionCount, 'count sessions');
    cell(row, p.stats.scanCount, 'count scans');
    cell(row, modalityText(p.stats.byModality), 'modalities');
    body.appendChild(row);
    totals.subjects += p.stats.subjectCount;
    totals.sessions += p.stats.sessionCount;
    totals.scans += p.stats.scanCount;
  }
  const total = document.createElement('tr');
  total.dataset.project = '*';
  cell(total, 'All projects');
  cell(total, '');
  cell(total, totals.subjects, 'count subjects');
  cell(total, totals.sessions, 'count sessions');
  cell(total, totals.scans, 'count scans');
  cell(total, '');
  foot.replaceChildren(total);
}

function renderMonths(projects) {
  const counts = new Map(); // month -> modality -> count
  const modalities = new Set();
  for (const p of projects) {
    for (const c of p.stats.sessionsByModalityAndMonth) {
      const modality = c.modality ?? '(none)';
      modalities.add(modality);
      const perMonth = counts.get(c.month) ?? new Map();
      perMonth.set(modality, (perMonth.get(modality) ?? 0) + c.count);
      counts.set(c.month, perMonth);
    }
  }
  const columns = [...modalities].sort();
  const table = document.createElement('table');
  table.id = 'modality-months';
  const head = document.createElement('tr');
  for (const title of ['Month', ...columns, 'Total']) {
    const th = document.createElement('th');
    th.textContent = title;
    head.appendChild(th);
  }
  table.createTHead().appendChild(head);
  const body = table.createTBody();
  for (const month of [...counts.keys()].sort()) {
    const row = document.createElement('tr');
    row.dataset.month = month;
    cell(row, month);
    let total = 0;
    for (const modality of columns) {
      const n = counts.get(month).get(modality) ?? 0;
      total += n;
      const td = cell(row, n, 'count');
      td.dataset.modality = modality;
    }
    const td = cell(row, total, 'count total');
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = `${total * 8}px`;
    td.appendChild(bar);
    body.appendChild(row);
  }
  document.querySelector('#months').replaceChildren(table);
}

async function load() {
  const status = document.querySelector('#status');
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: QUERY, operationName: 'Dashboard' }),
    });
    const result = await response.json();
    if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
    const projects = result.data.projects.nodes;
    renderProjects(projects);
    renderMonths(projects);
    status.textContent = `${projects.length} projects`;
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.textContent = `Could not load the dashboard: ${error.message}`;
    status.className = 'error';
    document.body.dataset.ready = 'error';
  }
}

load();
