import { BundleStats } from './handler-bundles';
import { ChildResult } from './protocol';

/** The medians of several runs of one app. */
export interface AppMeasurement {
  readonly stacks: number;
  readonly resources: number;
  readonly maxStackResources: number;
  readonly maxStackBytes: number;
  readonly totalBytes: number;
  readonly errors: number;
  readonly buildMs: number;
  readonly synthMs: number;
  readonly buildCpuMs: number;
  readonly synthCpuMs: number;
  /** Slowest / fastest synth wall clock over the runs: the noise of this measurement. */
  readonly synthSpread: number;
  readonly maxRssMb: number;
  readonly runs: ChildResult[];
}

/** Item 1: one app size, three sides. */
export interface ComparisonRow {
  readonly certificates: number;
  readonly ours: AppMeasurement;
  readonly oursNoExport: AppMeasurement;
  readonly raw: AppMeasurement;
  /** aws-cdk-lib only, with the export written by hand (the same functionality as "ours"). */
  readonly rawExport: AppMeasurement;
}

/** Item 2: the cost of one unit of a construct. */
export interface UnitRow {
  readonly name: string;
  readonly note: string;
  readonly resourcesPerUnit: number;
  readonly bytesPerUnit: number;
  readonly fixedResources: number;
  readonly fixedBytes: number;
  readonly fitByResources: number;
  readonly fitByBytes: number;
  readonly error?: string;
}

/** Item 5. */
export interface HierarchyResult {
  readonly issuingCas: number;
  readonly measurement: AppMeasurement;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly awsCdkLib: string;
  readonly commit: string;
  readonly date: string;
  /** 1-minute load averages at the start and the end of the run (other work on the machine). */
  readonly loadAverage: { readonly start: number; readonly end: number };
}

export interface BenchConfig {
  readonly runs: number;
  readonly importRuns: number;
  readonly sizes: number[];
  readonly perStack: number;
  readonly unitCount: number;
  readonly hierarchyIssuing: number;
  readonly quick: boolean;
}

export interface BenchResults {
  readonly machine: MachineInfo;
  readonly config: BenchConfig;
  readonly comparison: ComparisonRow[];
  readonly units: UnitRow[];
  readonly bundles: BundleStats[];
  readonly hierarchy: HierarchyResult;
}

/** Targets of the benchmark (DESIGN.md / the benchmark brief). */
export const TARGETS = {
  /** ours / raw synth time, per app size. */
  synthRatio: 1.5,
  /** ours synth time at 1,000 certificates / at 100. */
  scaling: 12,
};
