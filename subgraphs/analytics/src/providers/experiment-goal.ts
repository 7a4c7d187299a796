/**
 * How a conversion names the goal it reached (`experiment_conversions.goal`): `event:<name>`
 * for a tracked event, `form:<formId>` for a form submitted. An experiment's results count
 * the conversions of its own goal only.
 */
export function goalKey(goal: { formId?: string | null; eventName?: string | null }): string {
  return goal.formId ? `form:${goal.formId}` : `event:${goal.eventName ?? ''}`;
}
