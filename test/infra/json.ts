/**
 * CloudFormation templates, dashboard bodies, the OpenAPI document and EMF lines are untyped JSON that the
 * infra tests walk deep into (`Resources.X.Properties.Policies[0]...`). Typing each shape would restate
 * the AWS specs, so this one alias opts out of the checker, for tests only, in one visible place.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON walked by tests (see above)
export type Json = Record<string, any>;
