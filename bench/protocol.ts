/** What the parent asks a child process to measure. */
export type ChildSpec =
  | { kind: 'ours' | 'ours-no-export' | 'raw' | 'raw-export'; total: number; perStack: number }
  | { kind: 'unit'; variant: number; count: number; repoRoot: string }
  | { kind: 'hierarchy'; issuing: number }
  | { kind: 'variants'; repoRoot: string };

/** The answer to `variants`: the unit variants of item 2, by index. */
export interface VariantInfo {
  readonly name: string;
  readonly note: string;
}

/** Size of one synthesized stack. */
export interface StackStats {
  readonly name: string;
  readonly resources: number;
  /** Bytes of the template file as written to the cloud assembly. */
  readonly bytes: number;
  /** Error annotations (a valid app has none). */
  readonly errors: number;
}

/** What a child reports. */
export interface ChildResult {
  /** Wall clock of building the construct tree (constructors), before `app.synth()`. */
  readonly buildMs: number;
  /** Wall clock of `app.synth()`. */
  readonly synthMs: number;
  /** CPU time (user + system, all threads) of building the tree: steadier than wall clock on a busy machine. */
  readonly buildCpuMs: number;
  /** CPU time of `app.synth()`. */
  readonly synthCpuMs: number;
  /** `process.resourceUsage().maxRSS` of the child, in MiB. */
  readonly maxRssMb: number;
  readonly stacks: StackStats[];
}

/** Prefix of the child's result line on stdout. */
export const RESULT_MARKER = 'BENCH_RESULT ';

/** CloudFormation's limits per template. */
export const MAX_RESOURCES = 500;
/** 1 MB, read as 1,000,000 bytes to stay on the safe side of the quota's wording. */
export const MAX_TEMPLATE_BYTES = 1_000_000;

/** The median of the values (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
