/** The most steps a workflow may have (issue 18's limit). */
export const maxSteps = 50;

/** A step as far as the order of a run goes. */
export interface StepLinks {
  key: string;
  /** The step after it; null ends the run. Ignored for a condition. */
  next: string | null;
  /** A condition's branches; null for other steps. */
  branches: { ifTrue: string | null; ifFalse: string | null } | null;
}

/** A problem in how steps point at each other: which step (by index) and which field. */
export interface StepGraphProblem {
  index: number;
  field: string;
  message: string;
}

function successors(step: StepLinks): [field: string, key: string][] {
  if (step.branches) {
    return [
      ['branches.ifTrue', step.branches.ifTrue],
      ['branches.ifFalse', step.branches.ifFalse],
    ].filter((entry): entry is [string, string] => entry[1] !== null);
  }
  return step.next === null ? [] : [['next', step.next]];
}

/**
 * Every reference names an existing step and no path leads back to a step already on it
 * (a workflow always ends). Keys are unique; checked first so the rest can go by key.
 */
export function stepGraphProblem(steps: readonly StepLinks[]): StepGraphProblem | null {
  const indexOf = new Map<string, number>();
  for (const [index, step] of steps.entries()) {
    if (indexOf.has(step.key)) return { index, field: 'key', message: `repeats the key of steps[${indexOf.get(step.key)!}]` };
    indexOf.set(step.key, index);
  }
  for (const [index, step] of steps.entries()) {
    for (const [field, key] of successors(step)) {
      if (!indexOf.has(key)) return { index, field, message: `names no step of this workflow (${key})` };
      if (key === step.key) return { index, field, message: 'points at its own step, which would loop' };
    }
  }
  // Depth-first from every step: grey = on the current path, black = fully explored.
  const state = new Map<string, 'grey' | 'black'>();
  const visit = (key: string): StepGraphProblem | null => {
    state.set(key, 'grey');
    const index = indexOf.get(key)!;
    for (const [field, next] of successors(steps[index]!)) {
      if (state.get(next) === 'grey') return { index, field, message: `leads back to ${next}, which makes a cycle` };
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    state.set(key, 'black');
    return null;
  };
  for (const step of steps) {
    if (!state.has(step.key)) {
      const found = visit(step.key);
      if (found) return found;
    }
  }
  return null;
}
