/**
 * The package version jobs carry: a worker of another version refuses them, since the two could compute
 * different results for the same job id. The one version module is src/version.ts.
 */
export { VERSION as PACKAGE_VERSION } from "../version.ts";
