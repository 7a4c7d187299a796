import { readFile } from 'node:fs/promises';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  /** The node on top of the stack at each sample. */
  samples: number[];
  /** Microseconds before each sample since the previous one (the first: since startTime). */
  timeDeltas: number[];
}

/** A function's time on top of the stack. */
export interface SelfTime {
  /** Its name, `(anonymous)`, or V8's `(program)`, `(garbage collector)`. */
  name: string;
  /** Its file (shortened) and line. */
  location: string;
  selfMs: number;
  /** Of all the time the process was not idle. */
  share: number;
}

export interface ProfileSummary {
  /** Time the process was busy (all but V8's `(idle)`), in milliseconds. */
  busyMs: number;
  /** The functions with the most self time, most first. */
  top: SelfTime[];
}

/**
 * The `count` functions with the most self time in a `.cpuprofile`: each sample lasts
 * until the next one, and its time goes to the function on top of the stack, summed over
 * every place (node) that function was sampled in. Idle time is left out.
 */
export async function summariseProfile(file: string, count: number): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfUs = new Map<string, { name: string; location: string; us: number }>();
  let busyUs = 0;
  let timestamp = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    timestamp += profile.timeDeltas[index]!;
    const next = index + 1 < profile.samples.length ? timestamp + profile.timeDeltas[index + 1]! : profile.endTime;
    const frame = frames.get(nodeId)!;
    if (frame.functionName === '(idle)') return;
    const location = frame.url ? `${shortened(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName} ${location}`;
    const entry = selfUs.get(key) ?? { name: frame.functionName || '(anonymous)', location, us: 0 };
    entry.us += next - timestamp;
    busyUs += next - timestamp;
    selfUs.set(key, entry);
  });
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map(({ name, location, us }) => ({ name, location, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return { busyMs: busyUs / 1000, top };
}

/** `file:///…/node_modules/.pnpm/graphql@16.15.0/node_modules/graphql/execution/execute.js` → `graphql/execution/execute.js`. */
function shortened(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inPackage = /.*\/node_modules\/(.*)$/.exec(path);
  if (inPackage) return inPackage[1]!;
  const inRepository = /\/((?:gateway|launcher|subgraphs|prisma|bench|test)\/.*)$/.exec(path);
  return inRepository ? inRepository[1]! : path;
}
