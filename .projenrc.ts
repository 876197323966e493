import { awscdk, build, Component, javascript, JsonFile, ReleasableCommits } from 'projen';

/**
 * The floor of aws-cdk-lib we support. cdk-nag 3 (used by `PkiChecks`) needs
 * aws-cdk-lib >= 2.258.0, so that is the lowest version we can honestly promise.
 */
const CDK_FLOOR = '2.258.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-pki',
  description:
    'AWS CDK constructs for a whole certificate estate: validated public ACM certificates, AWS Private CA hierarchies, private, imported and exported certificates, grants, expiry alarms and synth-time checks.',
  author: 'cdk-pki',
  authorAddress: 'cdk-pki@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk-pki/cdk-pki.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'acm', 'certificate', 'private-ca', 'pki', 'tls', 'x509'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: CDK_FLOOR,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  // GitHub: pull requests run test:all (the BuildWorkflow below replaces projen's, whose `build`
  // leaves out the packaging tests); main is released from conventional commits (version,
  // changelog, GitHub release) and published with publib to npm (with provenance), PyPI, Maven
  // Central and the Go repository. CONTRIBUTING.md ("Releases") lists the secrets. PR titles (the
  // squash commits) are linted as conventional commits; only feat and fix commits make a release.
  github: true,
  githubOptions: {
    mergify: false,
    pullRequestLintOptions: {
      semanticTitleOptions: { types: ['feat', 'fix', 'perf', 'revert', 'docs', 'refactor', 'test', 'build', 'ci', 'chore'] },
    },
  },
  buildWorkflow: false,
  release: true,
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  // The first release (no release tag yet) is 0.1.0, not projen's default of the current 0.0.0;
  // after it, conventional commits decide.
  nextVersionCommand: 'test -n "$LATEST_TAG" || echo 0.1.0',
  releaseToNpm: true,
  npmProvenance: true,
  // jsii-diff against the last published version on every compile (scripts/compat.sh).
  compat: true,
  // Users run Node 22 and 24; 20 (end of life 2026-10-30) still works and is smoke-tested.
  minNodeVersion: '20.0.0',
  workflowNodeVersion: '22.x',
  // The release job runs projen's build, whose jest suite needs the Python venv (cfn-lint, moto).
  releaseWorkflowSetupSteps: [
    { name: 'Set up Python', uses: 'actions/setup-python@v7.0.0', with: { 'python-version': '3.11' } },
    { name: 'Create the test venv (cfn-lint, moto)', run: 'npx projen venv' },
  ],
  // Upgrades stay deliberate: aws-cdk-lib is pinned to the floor we support, jsii and TypeScript too.
  depsUpgrade: false,

  publishToPypi: { distName: 'cdk-pki', module: 'cdk_pki' },
  publishToMaven: {
    javaPackage: 'io.github.cdkpki',
    mavenGroupId: 'io.github.cdkpki',
    mavenArtifactId: 'cdk-pki',
  },
  publishToGo: { moduleName: 'github.com/cdk-pki/cdk-pki-go', packageName: 'cdkpki' },

  devDeps: [
    '@types/node@^20', // CONTRIBUTING.md, "Build machine notes"
    'fast-check@^4',
    '@aws-sdk/client-acm@^3',
    '@aws-sdk/client-acm-pca@^3.523.0', // CONTRIBUTING.md, "Build machine notes"
    '@types/aws-lambda@^8',
    '@aws-sdk/client-secrets-manager@^3',
    '@aws-sdk/client-ssm@^3',
    'ts-node',
    // The WASM CloudFormation validator that aws-cdk-lib >= 2.262 bundles (our floor, 2.258, does not):
    // the test harness runs it over every synthesized template next to cfn-lint.
    '@aws/cloudformation-validate@1.9.0-beta',
    // DnsValidatedCertificate's handlers (Route 53 in the zone's account, reached through STS).
    '@aws-sdk/client-route-53@^3',
    '@aws-sdk/client-sts@^3',
    // The CRL sync (Roles Anywhere trust anchors, load-balancer trust stores), the CA bundle and the CA expiry check.
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-rolesanywhere@^3',
    '@aws-sdk/client-elastic-load-balancing-v2@^3',
    '@aws-sdk/client-cloudwatch@^3',
    // The estate report's browser test drives the Debian package chromium (.ci/run installs it).
    'puppeteer-core@^25',
    // Carries the cfn-guard binary the tests run our guard rules with.
    '@cdklabs/cdk-validator-cfnguard',
    // Offline IAM policy simulator: least-privilege and before/after (Delete still allowed) tests.
    '@cloud-copilot/iam-simulate@^0.1.173',
  ],
  // PkiChecks is a cdk-nag v3 NagPack; users bring their own cdk-nag.
  peerDeps: ['cdk-nag@^3.0.2'],
  // `npx cdk-pki report [cdk.out]`: the estate report of a synthesized cloud assembly (src/report/).
  bin: { 'cdk-pki': 'lib/report/cli.js' },

  // Handlers (src/**/*.lambda.ts) are bundled by esbuild at build time; the Lambda runtime
  // provides the AWS SDK v3, so @aws-sdk/* stays external.
  lambdaOptions: { runtime: awscdk.LambdaRuntime.NODEJS_22_X },

  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'integ', 'bench', 'projenrc'] },

  jestOptions: {
    jestConfig: {
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/lint-after-all.ts'],
      testTimeout: 120_000,
      collectCoverageFrom: ['src/**/*.ts'],
      coverageThreshold: { lines: 90, branches: 90, statements: 90, functions: 90 },
    },
  },

  gitignore: ['.venv', '.venv-*/', 'cdk.out/', '*.out/', 'test-reports/', '.test-work/', 'dist/', '.jsii.tabl.json', '/test/consumers/java/target/', '/test/consumers/go/go.sum', '__pycache__/'],
});

// jest transpiles with swc (types are checked once, by `tsc --noEmit -p test` in test:all): ts-jest
// type-checked every file again in every worker, which cost most of the jest time.
project.addDevDeps('@swc/core@^1.16', '@swc/jest@^0.2.39');
project.deps.removeDependency('ts-jest');
project.jest!.config.transform = {
  '^.+\\.tsx?$': ['@swc/jest', {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  }],
};

// Handlers are bundled with the AWS SDK external (the Lambda runtime provides it), so their SDK
// wrappers next to the *.lambda.ts entry points may import the SDK dev dependencies too.
project.eslint?.allowDevDeps('src/handlers/**/*.ts');

/**
 * The room map of src/ (src/README.md): the folders each folder of src/ may import besides itself.
 * A folder missing here may import anything; test/architecture/room-map.test.ts fails when a folder
 * of src/ is missing, or when this map, src/README.md and the imports disagree.
 */
const ROOMS: Record<string, string[]> = {
  'validation': [],
  'checks': ['validation'],
  'common': ['validation'],
  'handlers': ['validation'],
  'private': ['validation'],
  'private-ca': ['common', 'handlers', 'private', 'validation'],
  'certificates': ['common', 'handlers', 'private', 'private-ca', 'validation'],
  'monitoring': ['certificates', 'common', 'private', 'private-ca', 'validation'],
  'report': ['validation'],
};
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: Object.entries(ROOMS).map(([room, allowed]) => ({
      target: `./src/${room}`,
      from: './src',
      except: [room, ...allowed].map((r) => `./${r}`),
      message: `src/${room} may import ${allowed.length ? `only src/${allowed.join(', src/')} besides itself` : 'nothing else of src/'}: see the room map in src/README.md.`,
    })),
  }],
});

// eslint's project service finds the nearest tsconfig.json of each file: give the dev folders one.
for (const dir of ['examples', 'integ', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..' },
      include: ['**/*.ts'],
      exclude: ['node_modules'],
    },
  });
}

for (const pattern of ['/examples/', '/integ/', '/bench/', '/scripts/', '/.ci/', '/.test-work/', '/test-reports/', '/.venv', '/.venv-*/']) {
  project.npmignore?.exclude(pattern);
}

// README examples must compile under jsii-rosetta's strict mode.
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);

// Install with npm install, never npm ci (CONTRIBUTING.md, "Build machine notes").
project.tasks.tryFind('install:ci')?.reset('npm install');

// projen's test task runs jest with --updateSnapshot; we keep snapshots explicit.
const testTask = project.tasks.tryFind('test')!;
testTask.reset('jest --passWithNoTests --ci');
testTask.spawn(project.tasks.tryFind('eslint')!);

project.addTask('venv', {
  description: 'Create the project-local Python venv with cfn-lint and moto (idempotent)',
  exec: 'bash scripts/setup-venv.sh',
});

const exampleTask = project.addTask('example', {
  description: 'Synthesize the example app in examples/ and print a summary (no AWS account needed)',
});
// The handlers' bundles (assets/) are built, not committed: a fresh clone needs them before synth.
exampleTask.spawn(project.tasks.tryFind('bundle')!);
exampleTask.exec('ts-node --project test/tsconfig.json examples/run.ts');

const benchTask = project.addTask('bench', {
  description: 'Run the benchmarks in bench/ and print the report (also written to bench/results/)',
});
benchTask.spawn(project.tasks.tryFind('bundle')!);
benchTask.exec('ts-node --project test/tsconfig.json bench/run.ts');

project.addTask('integ:snapshot', {
  description: 'Re-synthesize the integ/ apps and overwrite their committed snapshots',
  exec: 'UPDATE_INTEG_SNAPSHOTS=1 jest --ci --coverage=false test/integ',
});

// README examples are compiled by jsii-rosetta in strict mode. Compiling one takes about ten seconds, so
// the translations are cached in rosetta/cache.tabl.json (committed): the check compiles only the
// examples whose source or referenced types changed, and fails while the committed cache is stale.
const rosettaCache = 'rosetta/cache.tabl.json';
const rosettaCheck = project.addTask('rosetta:check', {
  description: `Compile the README examples that changed since ${rosettaCache} with jsii-rosetta (strict; needs a compiled .jsii) and fail if the cache is stale`,
});
rosettaCheck.exec('rm -f .test-work/rosetta.tabl.json && mkdir -p .test-work');
rosettaCheck.exec(`jsii-rosetta extract --strict --cache-from ${rosettaCache} --cache-to .test-work/rosetta.tabl.json`);
rosettaCheck.exec(`node scripts/check-rosetta-cache.js ${rosettaCache} .test-work/rosetta.tabl.json`);
project.addTask('rosetta:update', {
  description: `Compile the README examples that changed with jsii-rosetta (strict) and rewrite ${rosettaCache} (commit it)`,
  exec: `jsii-rosetta extract --strict --cache ${rosettaCache} --trim-cache`,
});

const testAllTask = project.addTask('test:all', {
  description: 'Install what the tests need and run every test: jest (synth, cfn-lint, moto, openssl), README examples, packaging in four languages',
  exec: 'bash scripts/test-all.sh',
});

// The developer loop: the unit and synth tests alone (no moto handler tests, integ snapshots,
// adversarial suites or coverage), in about a minute on 2 cores.
project.addTask('test:unit', {
  description: 'Run the unit and synth tests alone (no handler tests against moto, integ snapshots, adversarial suites or coverage)',
  exec: 'jest --ci --coverage=false --maxWorkers=2 --testPathIgnorePatterns /node_modules/ /test/handlers/ /test/integ/ /test/adversarial/ /test/harness/ -moto\\.test\\.ts$',
  receiveArgs: true,
});

// jsii-diff needs a published version to compare with: until the first release, say so and pass.
project.tasks.tryFind('compat')!.reset('bash scripts/compat.sh');

// Pull requests run what CI runs: test:all, which packages all four languages, so the runner needs
// Python, Java + Maven and Go. Synthesizing first makes a stale generated file (workflows included)
// a change that fails the build (or, on a branch of this repository, is pushed back to it).
new build.BuildWorkflow(project, {
  buildTask: testAllTask,
  artifactsDirectory: project.artifactsDirectory,
  preBuildSteps: [
    ...project.renderWorkflowSetup({ mutable: true }),
    { name: 'Set up Python', uses: 'actions/setup-python@v7.0.0', with: { 'python-version': '3.11' } },
    { name: 'Set up Java', uses: 'actions/setup-java@v6.0.0', with: { 'distribution': 'temurin', 'java-version': '17' } },
    { name: 'Set up Go', uses: 'actions/setup-go@v7.0.0', with: { 'go-version': '1.26.x' } },
    { name: 'Synthesize project files', run: 'npx projen default' },
  ],
});

/**
 * projen's release and publish jobs install with `npm ci`; rewrite them to `npm install` (see
 * install:ci above) once the release has added every job. scripts/check-workflows.sh checks it.
 */
class NpmInstallInWorkflows extends Component {
  public preSynthesize(): void {
    for (const workflow of project.github?.workflows ?? []) {
      for (const job of Object.values(workflow.jobs)) {
        const steps = 'steps' in job ? job.steps : undefined;
        if (!Array.isArray(steps)) continue; // the build job's steps are rendered later, with npm install
        steps.forEach((step, i) => {
          if (step.run?.match(/\bnpm ci\b/)) {
            steps[i] = { ...step, run: step.run.replace(/\bnpm ci\b/g, 'npm install') };
          }
        });
      }
    }
  }
}
new NpmInstallInWorkflows(project);

project.synth();
