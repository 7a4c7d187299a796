import jsep, { type Expression } from 'jsep';

/**
 * What a condition may be made of: literals, the names `trigger`, `vars` and `steps`,
 * member access, comparisons, `&&` `||` `!`, arithmetic and parentheses. No calls, no
 * assignments, no `this`, no arrays built on the fly: an expression reads, it never runs code.
 * Parsing is jsep's; evaluating (the next part of issue 18) walks the same tree by hand.
 */
const roots = new Set(['trigger', 'vars', 'steps']);
const binaryOperators = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', '&&', '||', '+', '-', '*', '/', '%']);
const unaryOperators = new Set(['!', '-', '+']);

/** Why the expression is refused, or null when it is one conditions may use. */
export function conditionExpressionProblem(source: string): string | null {
  let tree: Expression;
  try {
    tree = jsep(source);
  } catch (error) {
    return `does not parse: ${(error as Error).message}`;
  }
  return problemIn(tree, true);
}

function problemIn(node: Expression, atRoot: boolean): string | null {
  switch (node.type) {
    case 'Literal':
      return null;
    case 'Identifier': {
      const name = String(node.name);
      if (atRoot && !roots.has(name) && name !== 'true' && name !== 'false' && name !== 'null') {
        return `uses \`${name}\`; names start from trigger, vars or steps`;
      }
      return null;
    }
    case 'MemberExpression': {
      const object = problemIn(node.object as Expression, true);
      if (object) return object;
      // `a.b` names a property; `a[b]` computes one from another expression.
      return node.computed ? problemIn(node.property as Expression, true) : null;
    }
    case 'BinaryExpression':
      if (!binaryOperators.has(String(node.operator))) return `uses the operator \`${String(node.operator)}\`, which conditions do not allow`;
      return problemIn(node.left as Expression, true) ?? problemIn(node.right as Expression, true);
    case 'UnaryExpression':
      if (!unaryOperators.has(String(node.operator))) return `uses the operator \`${String(node.operator)}\`, which conditions do not allow`;
      return problemIn(node.argument as Expression, true);
    case 'ConditionalExpression':
      return (
        problemIn(node.test as Expression, true) ??
        problemIn(node.consequent as Expression, true) ??
        problemIn(node.alternate as Expression, true)
      );
    case 'Compound':
      return 'holds more than one expression';
    case 'CallExpression':
      return 'calls a function, which conditions do not allow';
    default:
      return `uses a ${node.type}, which conditions do not allow`;
  }
}
