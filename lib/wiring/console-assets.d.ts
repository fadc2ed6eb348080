// `.console/assets.json` is built (console/build.js), never committed: typed here so that the code
// type-checks before the first build.
declare module '*/.console/assets.json' {
  const assets: unknown;
  export default assets;
}
