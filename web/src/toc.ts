// The IMDRF ToC editions the server knows (schema/toc/*.tsv, bundled at build
// time) and the tree of a dossier's headings: every heading that holds
// something, under its ancestors, in ToC order, with the edition's titles.
import n13 from '../../schema/toc/imdrf-n13-ed4.tsv';
import n9 from '../../schema/toc/imdrf-n9-ed4.tsv';

function parseEdition(tsv: string): Map<string, string> {
  const titles = new Map<string, string>();
  for (const line of tsv.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [code, title] = line.split('\t');
    titles.set(code.trim(), (title ?? '').trim());
  }
  return titles;
}

const editions: Record<string, Map<string, string>> = {
  'IMDRF-N9-ED4': parseEdition(n9),
  'IMDRF-N13-ED4': parseEdition(n13),
};

export interface TocNode {
  code: string;
  title: string;
  section?: Section; // absent for a heading that only groups others
  children: TocNode[];
}

export interface DocumentRef {
  digest: string;
  mediaType?: string;
  fileName?: string;
  title?: string;
  sizeBytes?: string | number;
}

export interface Section {
  code: string;
  title?: string;
  documents?: DocumentRef[];
  data?: Record<string, unknown>;
  notApplicableJustification?: string;
}

// "3.05.05.08" -> "3.05.05" -> "3.05" -> "3"; chapter 6 "6A.04" -> "6A".
function parentOf(code: string): string | null {
  const at = code.lastIndexOf('.');
  return at < 0 ? null : code.slice(0, at);
}

// Orders codes segment by segment ("3.05.10" after "3.05.09", "6A" before "6B").
export function compareCodes(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); ++i) {
    const c = x[i].localeCompare(y[i], 'en', { numeric: true });
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

export function headingTitle(edition: string, code: string, fallback?: string): string {
  return editions[edition]?.get(code) ?? fallback ?? '';
}

export function buildTree(edition: string, sections: Section[]): TocNode[] {
  const nodes = new Map<string, TocNode>();
  const ensure = (code: string): TocNode => {
    let node = nodes.get(code);
    if (!node) {
      node = { code, title: headingTitle(edition, code), children: [] };
      nodes.set(code, node);
      const parent = parentOf(code);
      if (parent) ensure(parent).children.push(node);
    }
    return node;
  };
  for (const s of sections) {
    const node = ensure(s.code);
    node.section = s;
    if (!node.title && s.title) node.title = s.title;
  }
  const sort = (list: TocNode[]) => {
    list.sort((a, b) => compareCodes(a.code, b.code));
    list.forEach((n) => sort(n.children));
    return list;
  };
  return sort([...nodes.values()].filter((n) => parentOf(n.code) === null || !nodes.has(parentOf(n.code)!)));
}
