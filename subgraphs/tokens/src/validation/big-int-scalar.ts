import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const integer = /^-?\d{1,100}$/;

function parse(value: unknown): bigint {
  // Strings only: a JSON number past 2^53 has already lost digits before it reaches us.
  if (typeof value === 'string' && integer.test(value)) return BigInt(value);
  throw new GraphQLError('BigInt must be an integer written as a decimal string, e.g. "1000000000000000000"', {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** Integers of any size as decimal strings: amounts in base units, never floating point. */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  serialize: (value) => {
    if (typeof value === 'bigint') return value.toString();
    // Prisma's Decimal (NUMERIC(78, 0)): toFixed(), since its toString() turns large
    // values into exponent notation ("1e+21").
    const text =
      typeof value === 'object' && value !== null && 'toFixed' in value
        ? (value as { toFixed(): string }).toFixed()
        : typeof value === 'string'
          ? value
          : null;
    if (text !== null && integer.test(text)) return text;
    throw new GraphQLError(`BigInt cannot represent ${String(value)}`);
  },
  parseValue: parse,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('BigInt must be a string literal, e.g. "1000000000000000000"', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return parse(ast.value);
  },
});
