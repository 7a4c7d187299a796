import { formComponentName } from './form-definition.ts';
import type { PageDocument, PageNode } from './page-document.ts';

/** Props of a `form` node that are for the organization only, never for the public site. */
const privateFormProps = ['notifyEmails'];

/**
 * A published document as the public site receives it: the same tree, without what only
 * the organization may see. A form's `notifyEmails` are its staff's addresses: shown to
 * anyone, they would hand every bot that reads the page a list of addresses to spam.
 */
export function publicDocument(document: PageDocument): PageDocument {
  return { ...document, children: document.children.map(publicNode) };
}

function publicNode(node: PageNode): PageNode {
  const props =
    node.component === formComponentName
      ? Object.fromEntries(Object.entries(node.props).filter(([key]) => !privateFormProps.includes(key)))
      : node.props;
  return { ...node, props, children: (node.children ?? []).map(publicNode) };
}
