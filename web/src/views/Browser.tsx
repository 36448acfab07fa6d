// A dossier version's content to walk: the ToC tree beside the selected
// heading, or the device's structured fields when no heading is selected.
// Shared by the manufacturer's version page and the reviewer's submission.
import { useMemo } from 'preact/hooks';
import type { ApiClient } from '../api';
import { buildTree, headingTitle, type Section, type TocNode } from '../toc';
import { Fields } from './common';
import { SectionPanel } from './Section';
import { TocTree } from './TocTree';

export interface DossierContent {
  tocEdition?: string;
  device?: Record<string, unknown> & { tradeName?: string };
  sections?: Section[];
  [field: string]: unknown;
}

function findNode(nodes: TocNode[], code: string): TocNode | undefined {
  for (const n of nodes) {
    if (n.code === code) return n;
    const inner = findNode(n.children, code);
    if (inner) return inner;
  }
  return undefined;
}

export function Overview(props: { content: DossierContent }) {
  const { sections: _sections, tocEdition, ...fields } = props.content;
  return (
    <article aria-labelledby="overview-title">
      <h2 id="overview-title">Device and structured fields</h2>
      <p class="muted">
        ToC edition {tocEdition ?? 'not stated'}. Choose a heading in the Table of Contents to see its documents.
      </p>
      <Fields value={fields} />
    </article>
  );
}

export function DossierBrowser(props: {
  content: DossierContent;
  heading?: string;
  onSelect: (code: string) => void;
  api: ApiClient;
  blobPath: (digest: string) => string;
  marks?: Record<string, string>;
}) {
  const tree = useMemo(
    () => buildTree(props.content.tocEdition ?? '', props.content.sections ?? []),
    [props.content],
  );
  // A heading this version does not hold (a readiness item may point at one)
  // is still shown, with its title and the fact that nothing is filed there.
  const node = props.heading
    ? (findNode(tree, props.heading) ?? {
        code: props.heading,
        title: headingTitle(props.content.tocEdition ?? '', props.heading),
        children: [],
      })
    : undefined;
  return (
    <div class="browser">
      <nav class="card toc-card" aria-label="Table of Contents">
        <TocTree
          nodes={tree}
          selected={props.heading}
          onSelect={props.onSelect}
          label="Table of Contents"
          marks={props.marks}
        />
      </nav>
      <div class="card">
        {node ? (
          <SectionPanel node={node} api={props.api} blobPath={props.blobPath} />
        ) : (
          <Overview content={props.content} />
        )}
      </div>
    </div>
  );
}
