import { awscdk, javascript, JsonFile } from 'projen';

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

  // No GitHub here: workflows, mergify and release automation would be dead weight.
  github: false,
  release: false,
  depsUpgrade: false,

  publishToPypi: { distName: 'cdk-pki', module: 'cdk_pki' },
  publishToMaven: {
    javaPackage: 'io.github.cdkpki',
    mavenGroupId: 'io.github.cdkpki',
    mavenArtifactId: 'cdk-pki',
  },
  publishToGo: { moduleName: 'github.com/cdk-pki/cdk-pki-go', packageName: 'cdkpki' },

  devDeps: [
    // projen asks for @types/node@ts6.0 when TypeScript is pinned; that tag does not exist.
    '@types/node@^20',
    'fast-check@^4',
    '@aws-sdk/client-acm@^3',
    // Only 3.523 of the Private CA client is on this registry; it works next to the newer clients.
    '@aws-sdk/client-acm-pca@^3.523.0',
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
    // Carries the cfn-guard binary the tests run our guard rules with.
    '@cdklabs/cdk-validator-cfnguard',
  ],
  // PkiChecks is a cdk-nag v3 NagPack; users bring their own cdk-nag.
  peerDeps: ['cdk-nag@^3.0.2'],

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

  gitignore: ['.venv/', '.venv-*/', 'cdk.out/', '*.out/', 'test-reports/', '.test-work/', 'dist/', '.jsii.tabl.json', '/test/consumers/java/target/', '/test/consumers/go/go.sum', '__pycache__/'],
});

// Handlers are bundled with the AWS SDK external (the Lambda runtime provides it), so their SDK
// wrappers next to the *.lambda.ts entry points may import the SDK dev dependencies too.
project.eslint?.allowDevDeps('src/handlers/**/*.ts');

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

for (const pattern of ['/examples/', '/integ/', '/bench/', '/scripts/', '/.ci/', '/.test-work/', '/test-reports/', '/.venv/', '/.venv-*/']) {
  project.npmignore?.exclude(pattern);
}

// README examples must compile under jsii-rosetta's strict mode.
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);

// npm ci fails against this registry (optional platform packages of unrs-resolver are
// missing, so the lock file never counts as "in sync"): install with npm install.
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
  exec: 'UPDATE_INTEG_SNAPSHOTS=1 jest --ci test/integ',
});

project.addTask('rosetta:check', {
  description: 'Compile every TypeScript example in README.md with jsii-rosetta (strict; needs a compiled .jsii)',
  exec: 'jsii-rosetta extract --strict --fail --compile',
});

project.addTask('test:all', {
  description: 'Install what the tests need and run every test: jest (synth, cfn-lint, moto, openssl), README examples, packaging in four languages',
  exec: 'bash scripts/test-all.sh',
});

project.synth();
