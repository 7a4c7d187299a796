import type { ErrorObject } from 'ajv';
import { formComponentName, formDefinition } from './form-definition.ts';
import { mediaFormat } from './media-schema.ts';
import { placedNodes, type PageDocument } from './page-document.ts';
import { errorPath } from './props-schema.ts';
import type { ComponentSchemaVersion, PropsValidatorCache } from './props-validators.ts';

/** The first thing wrong with a document's props, as a BAD_USER_INPUT would name it. */
export interface DocumentPropsProblem {
  /** E.g. `document.children[2].props.title`. */
  field: string;
  /** Ajv's message, e.g. `must be string`. */
  message: string;
}

/** Every component name a document uses, once each. */
export function componentNamesIn(document: PageDocument): string[] {
  return [...new Set(placedNodes(document).map(({ node }) => node.component))];
}

/**
 * Checks every node's props against its component's schema, in document order, and
 * returns the first problem. `components` holds the components the document may use
 * (its organization's), by name: a node naming any other component is a problem too,
 * which is what keeps a document from using another organization's components. A node
 * of the built-in `form` component is checked against the form definition instead (unless
 * the organization has a `form` component of its own, from before the name was reserved).
 */
export function documentPropsProblem(
  document: PageDocument,
  components: ReadonlyMap<string, ComponentSchemaVersion>,
  validators: PropsValidatorCache,
  field = 'document',
): DocumentPropsProblem | null {
  for (const { node, path } of placedNodes(document, field)) {
    // An organization that made its own `form` component before the name was reserved
    // keeps it: its nodes are checked against its schema, not taken for forms.
    if (node.component === formComponentName && !components.has(formComponentName)) {
      const problem = formPropsProblem(node.props, `${path}.props`);
      if (problem) return problem;
      continue;
    }
    const component = components.get(node.component);
    if (!component) {
      return { field: `${path}.component`, message: `there is no component named "${node.component}" in this organization` };
    }
    const validate = validators.validatorFor(component);
    if (!validate(node.props)) {
      const [error] = validate.errors ?? [];
      return {
        field: `${path}.props${error ? errorPath(error, node.props) : ''}`,
        message: error ? messageOf(error) : 'do not match the component\'s props schema',
      };
    }
  }
  return null;
}

/** The first thing wrong with a `form` node's props, named like `….props.fields[1].maxLength`. */
function formPropsProblem(props: unknown, path: string): DocumentPropsProblem | null {
  const result = formDefinition.safeParse(props);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const place = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return { field: `${path}${place}`, message: issue.message };
}

/** Ajv's message, but for a media prop what it must be rather than `must match format "media"`. */
function messageOf(error: ErrorObject): string {
  if (error.keyword === 'format' && (error.params as { format?: unknown }).format === mediaFormat) {
    return 'must be the id of a media asset (a lower-case UUID)';
  }
  return error.message ?? 'does not match the component\'s props schema';
}
