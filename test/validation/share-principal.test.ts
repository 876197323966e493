import { Lazy } from 'aws-cdk-lib';
import {
  renderPolicyGrantees,
  renderRamPrincipals,
  SharePrincipalFacts,
  validatePolicyPrincipals,
  validateRamPrincipals,
} from '../../src/validation/share-principal';

const ORG_ARN = 'arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5';
const OU_ARN = 'arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-11111111';
const OU_PATH = 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/';
const account = (value: string): SharePrincipalFacts => ({ kind: 'account', value });
const organization = (value: string): SharePrincipalFacts => ({ kind: 'organization', value });
const unit = (value: string): SharePrincipalFacts => ({ kind: 'organizationalUnit', value });
const token = Lazy.string({ produce: () => 'x' });

describe('RAM principals', () => {
  test('accounts, organization ARNs and OU ARNs pass; tokens are not checked', () => {
    expect(validateRamPrincipals([account('111122223333'), organization(ORG_ARN), unit(OU_ARN)])).toEqual([]);
    expect(validateRamPrincipals([account(token), organization(token), unit(token)])).toEqual([]);
  });

  test('external principals are allowed only with an account among them', () => {
    expect(renderRamPrincipals([organization(ORG_ARN), unit(OU_ARN)])).toEqual({ principals: [ORG_ARN, OU_ARN], allowExternalPrincipals: false });
    expect(renderRamPrincipals([organization(ORG_ARN), account(token)]).allowExternalPrincipals).toBe(true);
  });

  test('an organization or OU given twice is reported once, by its kind', () => {
    expect(validateRamPrincipals([organization(ORG_ARN), organization(ORG_ARN), organization(ORG_ARN)]))
      .toEqual([`organization "${ORG_ARN}" is listed twice in principals: list each principal once.`]);
    expect(validateRamPrincipals([unit(OU_ARN), unit(OU_ARN)]))
      .toEqual([`organizational unit "${OU_ARN}" is listed twice in principals: list each principal once.`]);
  });

  test('an organization ID that is not one still gets the ARN form to give', () => {
    expect(validateRamPrincipals([organization('acme')])).toEqual([
      'cannot share with organization "acme" by its ID: AWS RAM names an organization by its ARN, so give ' +
        'CaSharePrincipal.organization("arn:aws:organizations::<management-account>:organization/o-a1b2c3d4e5")',
    ]);
  });

  test('an OU path without an OU gets the example ARN', () => {
    expect(validateRamPrincipals([unit('o-a1b2c3d4e5/*')])[0])
      .toContain('give CaSharePrincipal.organizationalUnit("arn:aws:organizations::<management-account>:ou/o-a1b2c3d4e5/ou-ab12-11111111")');
  });
});

describe('CA policy principals', () => {
  test('render: accounts, the organization ID (from an ID or an ARN) and OU paths', () => {
    expect(renderPolicyGrantees([account('111122223333'), organization(ORG_ARN), account('444455556666')]))
      .toEqual({ accounts: ['111122223333', '444455556666'], organizationId: 'o-a1b2c3d4e5', organizationalUnitPaths: [] });
    expect(renderPolicyGrantees([unit(OU_PATH)])).toEqual({ accounts: [], organizationId: undefined, organizationalUnitPaths: [OU_PATH] });
    expect(renderPolicyGrantees([organization(token)]).organizationId).toBe(token);
  });

  test('tokens are not checked', () => {
    expect(validatePolicyPrincipals([account(token), unit(token)])).toEqual([]);
    expect(validatePolicyPrincipals([organization(token)])).toEqual([]);
  });

  test('an OU path repeated is reported', () => {
    expect(validatePolicyPrincipals([unit(OU_PATH), unit(OU_PATH)]))
      .toEqual([`organizational unit "${OU_PATH}" is listed twice in principals: list each principal once.`]);
  });
});
