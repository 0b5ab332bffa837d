// The three charts, drawn with Chart.js (its UMD bundle, served by the gateway from the installed
// package, defines the global `Chart`). Each canvas keeps one chart, updated in place on reload.

// Tableau 20: distinct colours for up to 20 series (scan types are the most numerous).
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#a0cbe8',
  '#ffbe7d',
  '#8cd17d',
  '#b6992d',
  '#f1ce63',
  '#86bcb6',
  '#ff9d9a',
  '#79706e',
  '#d37295',
  '#d4a6c8',
];
const colour = (i) => PALETTE[i % PALETTE.length];

function draw(canvasId, config) {
  const canvas = document.getElementById(canvasId);
  const existing = Chart.getChart(canvas);
  if (existing) {
    existing.data = config.data;
    existing.update();
    return existing;
  }
  return new Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
}

const stacked = { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } };

/** Sessions per month, stacked by modality; every month of the range is on the axis. */
export function drawSessionsPerMonth({ months, series }) {
  return draw('chart-months', {
    type: 'bar',
    data: {
      labels: months,
      datasets: series.map((s, i) => ({ label: s.key, data: s.counts, backgroundColor: colour(i) })),
    },
    options: { scales: stacked, plugins: { legend: { position: 'bottom' } } },
  });
}

/** Scans per project, stacked by scan type. */
export function drawScansByType({ projects, series }) {
  return draw('chart-scan-types', {
    type: 'bar',
    data: {
      labels: projects,
      datasets: series.map((s, i) => ({ label: s.key, data: s.counts, backgroundColor: colour(i) })),
    },
    options: {
      indexAxis: 'y',
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

/** Subjects and sessions side by side per project. */
export function drawPerProject(rows) {
  return draw('chart-projects', {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.project),
      datasets: [
        { label: 'Subjects', data: rows.map((r) => r.subjects), backgroundColor: colour(0) },
        { label: 'Sessions', data: rows.map((r) => r.sessions), backgroundColor: colour(1) },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { position: 'bottom' } } },
  });
}
