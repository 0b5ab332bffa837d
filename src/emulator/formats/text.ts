/** Small text payloads for project, subject and session resources. */

export function protocolText(projectName: string, lines: string[]): Buffer {
  return Buffer.from([`${projectName}: acquisition protocol`, '', ...lines, ''].join('\n'), 'utf8');
}

export function csvText(header: string[], rows: Array<Array<string | number>>): Buffer {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return Buffer.from(`${[header, ...rows].map((row) => row.map(cell).join(',')).join('\n')}\n`, 'utf8');
}

export function jsonText(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
