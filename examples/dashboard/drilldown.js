// Drill-down project → subject → session → scans. Each step is one GraphQL query whose XNAT
// requests are bounded by its depth (a level's listing serves all its rows).

import { graphql } from './api.js';
import { SCANS, SESSIONS, SUBJECTS } from './queries.js';

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function link(text, href) {
  return element('a', { href, textContent: text, className: 'download' });
}

/** The QC thumbnail of a scan's SNAPSHOTS resource (`*_qc_t.*`), if it has one. */
export function thumbnailOf(scan) {
  const files = scan.snapshot?.files?.nodes ?? [];
  return files.find((f) => /_t\.\w+$/.test(f.name)) ?? files[0] ?? null;
}

export class DrillDown {
  constructor(root) {
    this.root = root;
    this.trail = []; // [{ level, id, label }]
    this.filter = {};
    this.projects = [];
  }

  /** The top level: the projects of the current dashboard load, with the filter drill-downs use. */
  reset(projects, filter) {
    this.projects = projects;
    const { projects: _scope, ...rest } = filter;
    this.filter = rest;
    this.trail = [];
    this.render([], this.projectList());
  }

  async open(step) {
    this.trail.push(step);
    await this.show();
  }

  async back(depth) {
    this.trail = this.trail.slice(0, depth);
    await this.show();
  }

  async show() {
    const step = this.trail.at(-1);
    if (!step) return this.render([], this.projectList());
    this.root.dataset.loading = 'true';
    try {
      const body =
        step.level === 'project'
          ? await this.subjectList(step.id)
          : step.level === 'subject'
            ? await this.sessionList(step.id)
            : await this.scanTable(step.id);
      this.render(this.trail, body);
    } catch (error) {
      this.render(this.trail, element('p', { className: 'error', textContent: error.message }));
    } finally {
      delete this.root.dataset.loading;
    }
  }

  render(trail, body) {
    const crumbs = element(
      'nav',
      { className: 'crumbs' },
      element('button', { type: 'button', textContent: 'All projects', onclick: () => this.back(0) }),
    );
    trail.forEach((step, i) => {
      crumbs.append(
        ' › ',
        i === trail.length - 1
          ? element('span', { textContent: step.label })
          : element('button', { type: 'button', textContent: step.label, onclick: () => this.back(i + 1) }),
      );
    });
    this.root.replaceChildren(crumbs, body);
    this.root.dataset.level = trail.at(-1)?.level ?? 'root';
  }

  entry(text, detail, step) {
    return element(
      'li',
      {},
      element('button', { type: 'button', className: 'drill', textContent: text, onclick: () => this.open(step) }),
      element('span', { className: 'detail', textContent: detail }),
    );
  }

  projectList() {
    return element(
      'ul',
      { className: 'drill-list' },
      ...this.projects.map((p) => this.entry(p.label, p.name ?? '', { level: 'project', id: p.label, label: p.label })),
    );
  }

  async subjectList(project) {
    const data = await graphql(SUBJECTS, { id: project, filter: this.filter });
    const subjects = data.project?.subjects?.nodes ?? [];
    if (subjects.length === 0) return element('p', { textContent: 'No subjects.' });
    return element(
      'ul',
      { className: 'drill-list' },
      ...subjects.map((s) => this.entry(s.label, `${s.experiments.totalCount} sessions`, { level: 'subject', id: s.id, label: s.label })),
    );
  }

  async sessionList(subject) {
    const data = await graphql(SESSIONS, { id: subject, filter: this.filter });
    const sessions = data.node?.experiments?.nodes ?? [];
    if (sessions.length === 0) return element('p', { textContent: 'No sessions match the filters.' });
    return element(
      'ul',
      { className: 'drill-list' },
      ...sessions.map((e) => {
        const item = this.entry(e.label, [e.date ?? 'undated', e.modality ?? e.xsiType].join(' · '), {
          level: 'session',
          id: e.id,
          label: e.label,
        });
        if (e.downloadUrl) item.append(' ', link('zip', e.downloadUrl));
        return item;
      }),
    );
  }

  async scanTable(session) {
    const data = await graphql(SCANS, { id: session });
    const e = data.node;
    const head = element(
      'tr',
      {},
      ...['', 'Scan', 'Type', 'Series', 'Quality', 'Resources', 'Download'].map((t) => element('th', { textContent: t })),
    );
    const rows = e.scans.nodes.map((scan) => {
      const thumb = thumbnailOf(scan);
      const resources = scan.resources.nodes.map((r) => link(`${r.label} (${r.fileCount})`, r.downloadUrl));
      const row = element(
        'tr',
        { className: 'scan' },
        element(
          'td',
          {},
          thumb
            ? element('img', { src: thumb.downloadUrl, alt: `QC ${e.label} scan ${scan.label}`, className: 'thumb', loading: 'lazy' })
            : '',
        ),
        element('td', { textContent: scan.label }),
        element('td', { textContent: scan.type ?? '' }),
        element('td', { textContent: scan.seriesDescription ?? '' }),
        element('td', { textContent: scan.quality ?? '' }),
        element('td', { className: 'resources' }, ...resources.flatMap((a, i) => (i ? [' ', a] : [a]))),
        element('td', {}, link('scan zip', scan.downloadUrl)),
      );
      row.dataset.scan = scan.label;
      return row;
    });
    const caption = element(
      'caption',
      {},
      `${e.label} · ${e.date ?? 'undated'} · ${e.scans.nodes.length} scans `,
      e.downloadUrl ? link('all scans (zip)', e.downloadUrl) : '',
    );
    return element('table', { className: 'scans' }, caption, element('thead', {}, head), element('tbody', {}, ...rows));
  }
}
