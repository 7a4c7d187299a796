import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenAPIObject, ResponseObject } from 'openapi3-ts/oas31';

/** A response as the test saw it. */
export interface Observed {
  status: number;
  contentType: string | null;
  /** The body as text; parsed as JSON for a JSON media type. */
  text: string;
}

/**
 * Checks observed responses against an OpenAPI 3.1 document: the status is one the
 * operation documents, the content type one that status documents (none when it documents
 * no content), and a JSON body matches the documented schema (JSON Schema 2020-12, refs into
 * components resolved). Answers the problems found, none when the response is as documented.
 */
export function responseChecker(document: OpenAPIObject): (method: string, path: string, observed: Observed) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  // The whole document as one schema, so that `#/components/schemas/…` resolves in any body's schema.
  ajv.addSchema({ ...document, $id: 'openapi.json' });
  return (method, path, observed) => {
    const operation = document.paths?.[path]?.[method.toLowerCase() as 'get'];
    if (!operation) return [`${method} ${path} is not documented`];
    const documented = operation.responses?.[String(observed.status)] as ResponseObject | undefined;
    if (!documented) return [`${method} ${path} answered ${observed.status}, which it does not document`];
    const mediaTypes = Object.keys(documented.content ?? {});
    if (mediaTypes.length === 0) return observed.text === '' ? [] : [`${method} ${path} ${observed.status} documents no body, got ${observed.text.slice(0, 200)}`];
    const mediaType = mediaTypes.find((type) => observed.contentType?.split(';')[0]?.trim() === type);
    if (!mediaType) return [`${method} ${path} ${observed.status} answered ${observed.contentType}, documented: ${mediaTypes.join(', ')}`];
    if (mediaType !== 'application/json') return [];
    const pointer = ['paths', path, method.toLowerCase(), 'responses', String(observed.status), 'content', mediaType, 'schema']
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const validate = ajv.getSchema(`openapi.json#/${pointer}`);
    if (!validate) return [`no schema at ${pointer}`];
    const body: unknown = JSON.parse(observed.text);
    return validate(body) ? [] : [`${method} ${path} ${observed.status}: ${ajv.errorsText(validate.errors)} in ${observed.text.slice(0, 300)}`];
  };
}
