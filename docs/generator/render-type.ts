import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLNamedType,
} from 'graphql';
import { cell, prose, table, typeAnchor, typeLink, type TypeLocator } from './markdown.ts';

/** What kind of type a section documents, in the order a page lists them. */
export const typeKinds = ['object', 'input', 'enum', 'union', 'scalar'] as const;

/** Which section of a page a type is listed in. */
export function kindOf(type: GraphQLNamedType): (typeof typeKinds)[number] {
  if (isObjectType(type) || isInterfaceType(type)) return 'object';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isUnionType(type)) return 'union';
  return 'scalar';
}

/** A type's section: its description, then its fields, input fields, values or members. */
export function renderType(type: GraphQLNamedType, file: string, locate: TypeLocator): string {
  const parts = [`<a id="${typeAnchor(type.name)}"></a>\n\n### \`${type.name}\` (${kindOf(type)})`, prose(type.description)];
  if (isObjectType(type) || isInterfaceType(type)) {
    parts.push(
      table(
        ['field', 'type', 'description'],
        Object.values(type.getFields()).map((field) => [
          `\`${field.name}\``,
          typeLink(field.type, file, locate),
          [cell(field.description), ...field.args.map((argument) => argumentLine(argument, file, locate))].join('<br>'),
        ]),
      ),
    );
  } else if (isInputObjectType(type)) {
    parts.push(
      table(
        ['field', 'type', 'default', 'description'],
        Object.values(type.getFields()).map((field) => [
          `\`${field.name}\``,
          typeLink(field.type, file, locate),
          field.defaultValue === undefined ? '' : `\`${JSON.stringify(field.defaultValue)}\``,
          cell(field.description),
        ]),
      ),
    );
  } else if (isEnumType(type)) {
    parts.push(table(['value', 'description'], type.getValues().map((value) => [`\`${value.name}\``, cell(value.description)])));
  } else if (isUnionType(type)) {
    parts.push(`One of: ${type.getTypes().map((member) => typeLink(member, file, locate)).join(', ')}.`);
  } else if (isScalarType(type)) {
    parts.push('Sent and received as a JSON value in the form described above.');
  }
  return parts.filter(Boolean).join('\n\n');
}

/** An argument of an object's field, inside the field's description cell. */
function argumentLine(argument: GraphQLArgument, file: string, locate: TypeLocator): string {
  const defaultValue = argument.defaultValue === undefined ? '' : ` = \`${JSON.stringify(argument.defaultValue)}\``;
  return `• \`${argument.name}\`: ${typeLink(argument.type, file, locate)}${defaultValue}: ${cell(argument.description)}`;
}
