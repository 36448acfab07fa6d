// The dossier's Table of Contents as an ARIA tree (WAI-ARIA APG "tree view"):
// one tab stop; arrows move, Right/Left open, close or go to the child/parent,
// Home/End jump, Enter or Space opens the heading. Headings holding documents
// or data show how many documents they hold.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TocNode } from '../toc';

interface Visible {
  node: TocNode;
  depth: number;
  parent: string | null;
}

function flatten(nodes: TocNode[], open: Set<string>, depth = 1, parent: string | null = null, out: Visible[] = []) {
  for (const node of nodes) {
    out.push({ node, depth, parent });
    if (node.children.length && open.has(node.code)) flatten(node.children, open, depth + 1, node.code, out);
  }
  return out;
}

function allCodes(nodes: TocNode[], out = new Set<string>()): Set<string> {
  for (const n of nodes) {
    out.add(n.code);
    allCodes(n.children, out);
  }
  return out;
}

export function TocTree(props: {
  nodes: TocNode[];
  selected?: string;
  onSelect: (code: string) => void;
  label: string;
  marks?: Record<string, string>; // code -> short text shown beside it (diff, readiness)
}) {
  const [open, setOpen] = useState<Set<string>>(() => allCodes(props.nodes));
  const [focused, setFocused] = useState<string | undefined>(props.selected);
  const items = useRef(new Map<string, HTMLLIElement>());
  useEffect(() => setOpen(allCodes(props.nodes)), [props.nodes]);
  const visible = useMemo(() => flatten(props.nodes, open), [props.nodes, open]);
  const current = visible.find((v) => v.node.code === focused) ?? visible.find((v) => v.node.code === props.selected) ?? visible[0];

  const focus = (code: string) => {
    setFocused(code);
    items.current.get(code)?.focus();
  };
  const toggle = (code: string, to: boolean) => {
    const next = new Set(open);
    if (to) next.add(code);
    else next.delete(code);
    setOpen(next);
  };

  const onKeyDown = (e: KeyboardEvent, v: Visible) => {
    const at = visible.indexOf(v);
    const hasChildren = v.node.children.length > 0;
    const isOpen = open.has(v.node.code);
    switch (e.key) {
      case 'ArrowDown':
        if (at + 1 < visible.length) focus(visible[at + 1].node.code);
        break;
      case 'ArrowUp':
        if (at > 0) focus(visible[at - 1].node.code);
        break;
      case 'ArrowRight':
        if (hasChildren && !isOpen) toggle(v.node.code, true);
        else if (hasChildren) focus(v.node.children[0].code);
        break;
      case 'ArrowLeft':
        if (hasChildren && isOpen) toggle(v.node.code, false);
        else if (v.parent) focus(v.parent);
        break;
      case 'Home':
        focus(visible[0].node.code);
        break;
      case 'End':
        focus(visible[visible.length - 1].node.code);
        break;
      case 'Enter':
      case ' ':
        props.onSelect(v.node.code);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const render = (nodes: TocNode[], depth: number) =>
    nodes.map((node) => {
      const hasChildren = node.children.length > 0;
      const isOpen = open.has(node.code);
      const documents = node.section?.documents?.length ?? 0;
      const v = visible.find((x) => x.node.code === node.code)!;
      return (
        <li
          key={node.code}
          role="treeitem"
          aria-level={depth}
          aria-expanded={hasChildren ? isOpen : undefined}
          aria-selected={props.selected === node.code}
          tabIndex={current?.node.code === node.code ? 0 : -1}
          ref={(el) => {
            if (el) items.current.set(node.code, el);
            else items.current.delete(node.code);
          }}
          onKeyDown={(e) => {
            if (e.target === e.currentTarget) onKeyDown(e, v);
          }}
          onFocus={(e) => {
            if (e.target === e.currentTarget) setFocused(node.code);
          }}
          data-code={node.code}
        >
          <div
            class={`toc-row${props.selected === node.code ? ' selected' : ''}${node.section ? '' : ' group'}`}
            style={{ paddingLeft: `${(depth - 1) * 1.1 + 0.4}rem` }}
            onClick={() => {
              setFocused(node.code);
              props.onSelect(node.code);
            }}
          >
            <span
              class="toc-twisty"
              aria-hidden="true"
              onClick={(e) => {
                if (!hasChildren) return;
                e.stopPropagation();
                toggle(node.code, !isOpen);
              }}
            >
              {hasChildren ? (isOpen ? '▾' : '▸') : ''}
            </span>
            <span class="toc-code">{node.code}</span>
            <span class="toc-title">{node.title || node.section?.title || ''}</span>
            {documents > 0 && (
              <span class="toc-count" aria-label={`${documents} document${documents === 1 ? '' : 's'}`}>
                {documents}
              </span>
            )}
            {props.marks?.[node.code] && <span class="toc-mark">{props.marks[node.code]}</span>}
          </div>
          {hasChildren && isOpen && (
            <ul role="group">{render(node.children, depth + 1)}</ul>
          )}
        </li>
      );
    });

  if (props.nodes.length === 0) return <p class="muted">This version has no sections.</p>;
  return (
    <ul role="tree" aria-label={props.label} class="toc">
      {render(props.nodes, 1)}
    </ul>
  );
}
