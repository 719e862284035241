// Namespaces for the few elements whose namespace matters: a bank file's `Document`, which may
// be the root or sit inside a wrapper (an AppHdr + BizMsgEnvlp, a SOAP-like Envelope…) that
// declares the prefix on an ancestor. Everything else is read by local name.
import type { XmlElement } from './parse.ts';
import { decodeEntities } from './parse.ts';

/** Prefix ('' for the default namespace) to namespace URI, as declared on an element and its ancestors. */
type Scope = ReadonlyMap<string, string>;

const EMPTY: Scope = new Map();
const DECLARATION = /(?:^|\s)xmlns(?::([^\s=]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The scope inside an element: its parent's, with the element's own xmlns declarations on top. */
function scopeOf(element: XmlElement, parent: Scope): Scope {
  if (!element.attributes.includes('xmlns')) return parent;
  let scope: Map<string, string> | undefined;
  for (const m of element.attributes.matchAll(DECLARATION)) {
    scope ??= new Map(parent);
    scope.set(m[1] ?? '', decodeEntities(m[2] ?? m[3] ?? '', 0));
  }
  return scope ?? parent;
}

/** An element found by local name, with the namespace URI its prefix stands for (undefined when none). */
export interface FoundElement {
  element: XmlElement;
  namespace: string | undefined;
}

/**
 * Every element with that local name, in document order, with its namespace; a match is not
 * searched inside. Iterative, so a deeply nested (hostile) document cannot overflow the stack.
 * Throws XmlSyntaxError for a declaration with an undefined entity.
 */
export function findElements(root: XmlElement, name: string): FoundElement[] {
  const found: FoundElement[] = [];
  const stack: { element: XmlElement; scope: Scope }[] = [{ element: root, scope: EMPTY }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { element } = next;
    const scope = scopeOf(element, next.scope);
    if (element.name === name) {
      // xmlns="" takes an element out of any namespace.
      found.push({ element, namespace: scope.get(element.prefix) || undefined });
      continue;
    }
    const children = element.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ element: children[i]!, scope });
  }
  return found;
}
